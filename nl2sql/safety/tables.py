"""Check 4: every table reference resolves inside the allowed datasets.

Every ``exp.Table`` in the tree is a reference, wherever it sits: FROM and
JOIN, subqueries in any expression, and the ``TABLE t`` / ``MODEL m``
arguments of table-valued functions (``ML.PREDICT``, ``VECTOR_SEARCH``,
``GAP_FILL``). Two kinds of ``exp.Table`` are not tables: a one-part name
that is a CTE visible at that point, and the wrapper sqlglot puts around a
table-valued function call (the function itself is check 5's business).

A one-part name that is not a visible CTE is refused: BigQuery would resolve
it against a default dataset, and DuckDB against its search path or, worse,
a file of that name.
"""

from __future__ import annotations

import re
import unicodedata

from sqlglot import exp

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.locate import at, position
from nl2sql.safety.names import resolve
from nl2sql.safety.policy import Policy

CHECK = "tables"

# Dataset-level INFORMATION_SCHEMA views: they describe the one dataset named
# before them. Everything else (JOBS*, SCHEMATA*, TABLE_STORAGE*, SESSIONS*,
# OBJECT_PRIVILEGES, RESERVATIONS*, ...) is region- or project-level and shows
# other datasets or other people's queries.
DATASET_VIEWS = frozenset({
    "COLUMNS", "COLUMN_FIELD_PATHS", "CONSTRAINT_COLUMN_USAGE", "KEY_COLUMN_USAGE",
    "MATERIALIZED_VIEWS", "PARAMETERS", "PARTITIONS", "ROUTINES", "ROUTINE_OPTIONS",
    "SEARCH_INDEXES", "SEARCH_INDEX_COLUMNS", "SEARCH_INDEX_OPTIONS", "TABLES",
    "TABLE_CONSTRAINTS", "TABLE_OPTIONS", "TABLE_SNAPSHOTS", "VECTOR_INDEXES",
    "VECTOR_INDEX_COLUMNS", "VECTOR_INDEX_OPTIONS", "VIEWS",
})

# DuckDB's catalog views (duckdb_tables, duckdb_columns, sqlite_master,
# pragma_database_list, ...) resolve from the `main` schema of any database, so
# `main.duckdb_columns` would describe every schema. Refused on every warehouse.
ENGINE_VIEW_PREFIXES = ("duckdb_", "sqlite_", "pragma_")

# DuckDB turns an unknown table name that ends like a file into a read of that
# file ("d.csv" reads ./d.csv), so such names are refused on every warehouse.
FILE_SUFFIXES = frozenset({
    "csv", "tsv", "parquet", "json", "jsonl", "ndjson", "gz", "gzip", "zst", "zstd", "arrow",
    "ipc", "feather", "xlsx", "xls", "avro", "txt", "db", "duckdb", "sqlite", "sqlite3",
})


def check_tables(tree: exp.Expr, policy: Policy) -> exp.Expr:
    """Return ``tree`` if every table it reads is allowed; raise ``UnsafeSQL`` otherwise.

    >>> import sqlglot
    >>> tree = sqlglot.parse_one("SELECT * FROM other.t", read="bigquery")
    >>> check_tables(tree, Policy(frozenset({"thelook_ecommerce"})))
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: table `other.t` is outside the allowed datasets (thelook_ecommerce)
    """
    for table in tree.find_all(exp.Table):
        table_name(table, policy)
    return tree


def referenced_tables(tree: exp.Expr, policy: Policy) -> tuple[str, ...]:
    """Sorted, unique ``dataset.table`` names the query reads.

    >>> import sqlglot
    >>> tree = sqlglot.parse_one(
    ...     "WITH c AS (SELECT * FROM d.b) SELECT * FROM c JOIN d.a USING (id)", read="bigquery")
    >>> referenced_tables(tree, Policy())
    ('d.a', 'd.b')
    """
    names = {name for t in tree.find_all(exp.Table) if (name := table_name(t, policy))}
    return tuple(sorted(names))


def table_name(table: exp.Table, policy: Policy) -> str | None:
    """``dataset.table`` for a table reference, None for a CTE or a function call."""
    if isinstance(table.this, exp.Func):
        return None
    parts = _parts(table)
    if len(parts) == 1:
        if _cte_in_scope(table, parts[0]):
            return None
        pos = position(table)
        if _own_recursive_cte(table, parts[0]):
            raise UnsafeSQL(
                f"recursive CTE `{parts[0]}` may refer to itself only in the term after its "
                f"UNION ALL (its anchor and a body without UNION read tables){at(pos)}",
                check=CHECK, construct=parts[0], position=pos,
            )
        raise UnsafeSQL(
            f"table `{parts[0]}` must be qualified with its dataset, e.g. "
            f"`{_example_dataset(policy)}.{parts[0]}`{at(pos)}",
            check=CHECK, construct=parts[0], position=pos,
        )
    if any(p.upper() == "INFORMATION_SCHEMA" for p in parts):
        return _information_schema(table, parts, policy)
    try:
        dataset, name = resolve(parts, policy, what="table", node=table, check=CHECK)
    except UnsafeSQL as e:
        raise _with_unnest_hint(e, table, parts) from None
    _check_table_part(table, parts, name)
    return f"{dataset}.{name}"


def _parts(table: exp.Table) -> list[str]:
    parts: list[str] = []
    for part in table.parts:
        if not isinstance(part, exp.Identifier) or not part.name:
            pos = position(table)
            raise UnsafeSQL(f"unsupported table name `{table.sql('bigquery')}`{at(pos)}",
                            check=CHECK, construct=table.sql("bigquery"), position=pos)
        # sqlglot keeps `INFORMATION_SCHEMA.VIEW` as one identifier; split it so
        # the view name is checked like any other part.
        if part.name.upper().startswith("INFORMATION_SCHEMA."):
            parts.extend(part.name.split(".", 1))
        else:
            parts.append(part.name)
    return parts


def _cte_in_scope(table: exp.Table, name: str) -> bool:
    """Is ``name`` a CTE visible where ``table`` sits (GoogleSQL scoping)?

    A CTE sees the CTEs before it in its WITH (and itself under RECURSIVE);
    the query body sees all of them; outer WITHs are visible from inside.
    """
    wanted = name.lower()
    child: exp.Expr = table
    for parent in _ancestors(table):
        if isinstance(parent, exp.With) and isinstance(child, exp.CTE):
            # By identity, not ==: sqlglot compares trees structurally.
            here = next(i for i, cte in enumerate(parent.expressions) if cte is child)
            visible = list(parent.expressions[:here])
            if parent.args.get("recursive") and _in_recursive_term(table, child):
                visible.append(child)
            if any(c.alias_or_name.lower() == wanted for c in visible):
                return True
        elif isinstance(parent, exp.Query) and child.arg_key != "with_":
            with_ = parent.args.get("with_")
            if with_ and any(c.alias_or_name.lower() == wanted for c in with_.expressions):
                return True
        child = parent
    return False


def _own_recursive_cte(table: exp.Table, name: str) -> bool:
    return any(isinstance(p, exp.CTE) and p.alias_or_name.lower() == name.lower()
               for p in _ancestors(table))


def _in_recursive_term(table: exp.Table, cte: exp.CTE) -> bool:
    """Does ``table`` sit in the recursive term of ``cte``, where its own name is a CTE?

    Engines bind a CTE's own name to the CTE only in the right-hand operand of
    the UNION that makes up its body. Anywhere else (the anchor, or a body that
    is not a UNION) DuckDB looks the name up in the catalog: `main`,
    `system.main`, `pg_catalog`. So only the recursive term may self-reference.
    """
    body = cte.this
    while isinstance(body, exp.Subquery):
        body = body.this
    if not isinstance(body, exp.Union):
        return False
    recursive_term = body.expression
    return any(node is recursive_term for node in _ancestors(table))


def _ancestors(node: exp.Expr) -> list[exp.Expr]:
    out = []
    parent = node.parent
    while parent is not None:
        out.append(parent)
        parent = parent.parent
    return out


def _information_schema(table: exp.Table, parts: list[str], policy: Policy) -> str:
    pos = position(table)
    display = ".".join(parts)
    index = [p.upper() for p in parts].index("INFORMATION_SCHEMA")
    prefix, rest = parts[:index], parts[index + 1:]
    if not prefix or any(p.lower().startswith("region-") for p in prefix):
        raise UnsafeSQL(
            f"`{display}` is a region- or project-level INFORMATION_SCHEMA view, which shows "
            "other datasets and other people's queries; query "
            f"`dataset.INFORMATION_SCHEMA.COLUMNS` (or TABLES, ...) of an allowed dataset{at(pos)}",
            check=CHECK, construct=display, position=pos,
        )
    view = rest[0].upper() if len(rest) == 1 else ""
    if view not in DATASET_VIEWS:
        raise UnsafeSQL(
            f"`{display}` is not a dataset-level INFORMATION_SCHEMA view; allowed views are "
            f"{', '.join(sorted(DATASET_VIEWS))}{at(pos)}",
            check=CHECK, construct=display, position=pos,
        )
    name = f"INFORMATION_SCHEMA.{view}"
    dataset, _ = resolve([*prefix, name], policy, what="table", node=table, check=CHECK)
    return f"{dataset}.INFORMATION_SCHEMA.{view}"


def _check_table_part(table: exp.Table, parts: list[str], name: str) -> None:
    display = ".".join(parts)
    # BigQuery table names: letters, marks, numbers, connectors (_), dashes and
    # spaces, optionally ending in the wildcard *. No dots, slashes or quotes.
    body = name[:-1] if name.endswith("*") else name
    if not _PLAIN_TABLE.fullmatch(body) and not all(_table_char(c) for c in body):
        pos = position(table)
        raise UnsafeSQL(f"`{name}` in table `{display}` is not a valid table name{at(pos)}",
                        check=CHECK, construct=display, position=pos)
    if name.lower().startswith(ENGINE_VIEW_PREFIXES):
        pos = position(table)
        raise UnsafeSQL(
            f"table `{display}` is an engine catalog view that describes every dataset, "
            f"not data you can query{at(pos)}",
            check=CHECK, construct=display, position=pos,
        )
    if name.lower() in FILE_SUFFIXES:
        pos = position(table)
        raise UnsafeSQL(
            f"table `{display}` looks like a file name; tables are named `dataset.table`{at(pos)}",
            check=CHECK, construct=display, position=pos,
        )


# The common case, checked without a per-character Unicode lookup.
_PLAIN_TABLE = re.compile(r"[A-Za-z0-9_-]*")


def _table_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LMN" or category in ("Pc", "Pd") or ch == " "


def _with_unnest_hint(error: UnsafeSQL, table: exp.Table, parts: list[str]) -> UnsafeSQL:
    """Add a hint when the "dataset" is really a table alias: ``JOIN o.items`` means
    UNNEST to BigQuery, but DuckDB would read a table, so the gate only takes
    the explicit spelling."""
    root = table.root()
    aliases = {a.name.lower() for a in root.find_all(exp.TableAlias) if a.name}
    if len(parts) == 2 and parts[0].lower() in aliases:
        path = ".".join(parts)
        return UnsafeSQL(f"{error.message}; if `{path}` is an array column, write UNNEST({path})",
                         check=error.check, construct=error.construct, position=error.position)
    return error


def _example_dataset(policy: Policy) -> str:
    return min(policy.allowed_datasets) if policy.allowed_datasets else "dataset"
