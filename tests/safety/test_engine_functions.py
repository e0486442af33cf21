"""The engine's function denylist covers what the installed DuckDB can do in a SELECT.

DuckDB adds functions in every release. Those that change state or wait
(``setval``, ``sleep_ms``) are VOLATILE in ``duckdb_functions()``; each must be
denied or reviewed here, so a new DuckDB's new one fails this test instead of
reaching queries. Table functions need no such review: only
``engine.TABLE_FUNCTIONS`` may be read from, whatever DuckDB offers.
"""

from __future__ import annotations

import duckdb
import pytest

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.engine import TABLE_FUNCTIONS, check_parsed, engine_denied
from nl2sql.safety.serialized import serialized

#: VOLATILE functions reviewed and allowed: they compute a value and touch nothing.
#: (``error`` is how the size guards stop a query, see semantics.py.)
REVIEWED_VOLATILE = frozenset({"error", "random", "gen_random_uuid", "uuid", "uuidv4", "uuidv7"})


def _functions(con: duckdb.DuckDBPyConnection, where: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT lower(function_name) FROM duckdb_functions() "
        f"WHERE database_name = 'system' AND {where} ORDER BY 1").fetchall()]


def test_every_volatile_function_is_denied_or_reviewed() -> None:
    con = duckdb.connect()
    volatile = _functions(con, "stability = 'VOLATILE'")
    assert "setval" in volatile  # the introspection sees what it must
    unreviewed = [f for f in volatile if f not in REVIEWED_VOLATILE and not engine_denied(f)]
    assert not unreviewed


def test_every_table_function_but_the_allowed_few_is_refused() -> None:
    con = duckdb.connect()
    names = _functions(con, "function_type IN ('table', 'table_macro')")
    assert "read_csv" in names and "query_table" in names
    for name in names:
        tree = serialized(con, "json_serialize_sql", f'SELECT * FROM "{name}"()')
        if name in TABLE_FUNCTIONS:
            check_parsed(tree, frozenset({"shop"}), "wh")
        else:
            with pytest.raises(UnsafeSQL):
                check_parsed(tree, frozenset({"shop"}), "wh")
