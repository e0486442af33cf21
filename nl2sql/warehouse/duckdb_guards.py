"""What the DuckDB warehouse checks before it opens a file or runs a statement."""

from __future__ import annotations

from pathlib import Path

import duckdb

from nl2sql.errors import QueryError, WarehouseError


def one_select(cur: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse unless DuckDB itself parses ``sql`` as exactly one SELECT.

    The gate decided on sqlglot's reading of GoogleSQL; this is the engine's
    reading of what actually runs, after transpiling (costs about 0.1 ms).
    """
    kinds = [s.type.name for s in cur.extract_statements(sql)]
    if kinds != ["SELECT"]:
        found = ", ".join(kinds) or "nothing"
        raise QueryError(f"the DuckDB warehouse runs exactly one SELECT statement; found {found}")


def check_file(path: Path) -> None:
    """A clear error for what is not a DuckDB file, before DuckDB is asked to open it."""
    if path.is_dir():
        problem = "is a directory, not a DuckDB file"
    elif not path.exists():
        problem = "does not exist"
    elif not path.is_file():
        problem = "is not a regular file"
    else:
        return
    raise WarehouseError(f"DuckDB file {str(path)!r} {problem}; build the demo with "
                         "`nl2sql demo-data` or pass an existing file with --db")
