"""The engine check: what DuckDB will execute reads only allowed schemas.

The gate judges GoogleSQL, but the embedded warehouse runs sqlglot's DuckDB
transpilation of it, and the two can mean different things (BigQuery's
``@@x`` is written ``$$x``, which opens a dollar-quoted string in DuckDB; a
recursive CTE body that is not a UNION binds its own name to the catalog).
So the DuckDB text is judged again, by DuckDB itself, right before it runs:

1. **Lexer** (``duckdb.tokenize``): the text sqlglot rendered carries no
   comments, and DuckDB must see its string literals exactly where sqlglot
   put them. A disagreement means the text would not mean what was checked.
2. **Parser** (``json_serialize_sql``): one SELECT; no query parameters; no
   ``SHOW``/``DESCRIBE``/``SUMMARIZE`` sources; no call of a function on the
   engine denylist (``current_setting``, ``getenv``, ``duckdb_*``, ...) or
   qualified with another catalog; table functions only from a short allowlist.
3. **Binder** (``json_serialize_plan``): the bound plan names every table
   DuckDB actually resolved (views and macros expanded, CTE names bound the
   way DuckDB binds them) and every function it resolved, with its schema.
   Every scan must read a table of an allowed schema of the warehouse's
   catalog, every operator must be a read-only one, and no function may come
   from ``pg_catalog`` or the denylist.

Nothing here trusts the gate: a leak must get past sqlglot's reading of
GoogleSQL *and* DuckDB's reading of what really runs. Binding costs about a
millisecond (``bench/gate.py``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import duckdb

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.definitions import definitions
from nl2sql.safety.functions import DENIED_FUNCTIONS, DENIED_PREFIXES
from nl2sql.safety.lexer import UNFAITHFUL as _UNFAITHFUL
from nl2sql.safety.lexer import check_lexer
from nl2sql.safety.serialized import EngineRejected, dicts, scrub, serialized

__all__ = ["EngineRejected", "check_engine", "engine_allows", "scrub", "shadowing_functions",
           "tainted_definitions"]

CHECK = "engine"

#: DuckDB functions (lower case) that expose the engine, its settings, the
#: session or the catalog of every schema, or run SQL the gate never saw.
ENGINE_DENIED = frozenset({
    "current_setting", "getenv", "getvariable", "current_database", "current_schema",
    "current_schemas", "current_catalog", "current_user", "current_role", "session_user",
    "user", "version", "current_query", "current_query_id", "current_connection_id",
    "current_transaction_id", "txid_current", "in_search_path", "which_secret", "write_log",
    "parse_duckdb_log_message", "get_block_size", "json_serialize_plan", "json_serialize_sql",
    "json_deserialize_sql", "json_execute_serialized_sql", "query", "query_table",
    "sql_auto_complete", "summary", "test_all_types", "test_vector_types", "repeat_row",
    "icu_calendar_names", "pg_timezone_names", "col_description", "obj_description",
    "shobj_description", "format_type", "format_pg_type", "map_to_pg_oid",
    "map_type_id_to_pg_oid", "glob", "error_log", "add_grammar_extension",
    "remove_grammar_extension", "register_external_resource_type", "nextval", "currval",
    "setseed", "setval", "sleep_ms", "stats", "vector_type",
})
ENGINE_DENIED_PREFIXES = ("pg_", "has_", "inet_", "duckdb_", "pragma_", "sqlite_", "icu_")

#: DuckDB-only functions (lower case) that build a value of any size in one call,
#: which neither the memory limit nor an interrupt can stop; GoogleSQL has none of
#: them (its generators and string builders are guarded in ``semantics.py``).
UNBOUNDED_BUILDERS = frozenset({"list_resize", "array_resize", "bitstring"})
#: ... and those that do so only as scalars (as table functions they stream rows).
UNBOUNDED_SCALARS = frozenset({"range"})

#: Table functions a query may read from: they make rows out of values only.
TABLE_FUNCTIONS = frozenset({"unnest", "range", "generate_series", "json_each", "json_tree"})

#: Table references DuckDB's parser may produce for a query over tables.
TABLE_REFS = frozenset({"BASE_TABLE", "JOIN", "SUBQUERY", "TABLE_FUNCTION", "EMPTY",
                        "EXPRESSION_LIST", "PIVOT"})

#: Logical operators of a read-only query (anything else is refused by name).
OPERATORS = frozenset({
    "LOGICAL_PROJECTION", "LOGICAL_FILTER", "LOGICAL_AGGREGATE_AND_GROUP_BY", "LOGICAL_WINDOW",
    "LOGICAL_UNNEST", "LOGICAL_LIMIT", "LOGICAL_ORDER_BY", "LOGICAL_TOP_N", "LOGICAL_DISTINCT",
    "LOGICAL_SAMPLE", "LOGICAL_PIVOT", "LOGICAL_GET", "LOGICAL_CHUNK_GET", "LOGICAL_DELIM_GET",
    "LOGICAL_EXPRESSION_GET", "LOGICAL_DUMMY_SCAN", "LOGICAL_EMPTY_RESULT", "LOGICAL_CTE_REF",
    "LOGICAL_JOIN", "LOGICAL_DELIM_JOIN", "LOGICAL_COMPARISON_JOIN", "LOGICAL_ANY_JOIN",
    "LOGICAL_CROSS_PRODUCT", "LOGICAL_POSITIONAL_JOIN", "LOGICAL_ASOF_JOIN",
    "LOGICAL_DEPENDENT_JOIN", "LOGICAL_UNION", "LOGICAL_EXCEPT", "LOGICAL_INTERSECT",
    "LOGICAL_RECURSIVE_CTE", "LOGICAL_MATERIALIZED_CTE",
})


def check_engine(con: duckdb.DuckDBPyConnection, sql: str, *, catalog: str,
                 schemas: frozenset[str], shadows: frozenset[str] | None = None,
                 tainted: frozenset[str] | None = None) -> None:
    """Raise ``UnsafeSQL`` unless DuckDB reads ``sql`` as one SELECT over ``schemas``.

    ``schemas`` are the schemas of ``catalog`` a query may read, and
    ``other_catalog.schema`` entries for schemas of other catalogs it may read.
    ``shadows`` is ``shadowing_functions(con, catalog, schemas)`` and ``tainted``
    is ``tainted_definitions(con, catalog, schemas, shadows)``, computed here
    when not given (a caller whose catalog cannot change computes them once).
    """
    schemas = frozenset(s.lower() for s in schemas)  # DuckDB names are case-insensitive
    if shadows is None:
        shadows = shadowing_functions(con, catalog, schemas)
    if tainted is None:
        tainted = tainted_definitions(con, catalog, schemas, shadows)
    check_lexer(sql)
    check_parsed(serialized(con, "json_serialize_sql", sql), schemas, catalog, shadows,
                 tainted=tainted)
    check_plan(serialized(con, "json_serialize_plan", sql), schemas, catalog)


def engine_allows(con: duckdb.DuckDBPyConnection, sql: str, *, catalog: str,
                  schemas: frozenset[str], shadows: frozenset[str] | None = None,
                  tainted: frozenset[str] | None = None) -> bool:
    """Whether ``check_engine`` passes ``sql``: for what the warehouse reads on its own
    (a table's examples and row count), which must read no more than a query may."""
    try:
        check_engine(con, sql, catalog=catalog, schemas=schemas, shadows=shadows,
                     tainted=tainted)
    except (UnsafeSQL, EngineRejected):
        return False
    return True


def tainted_definitions(con: duckdb.DuckDBPyConnection, catalog: str, schemas: frozenset[str],
                        shadows: frozenset[str]) -> frozenset[str]:
    """``schema.name`` (lower case) of the views and macros of ``catalog`` whose bodies,
    read by DuckDB's parser, would not pass as a query over ``schemas``.

    DuckDB expands them while binding: a view of an allowed schema selecting a
    constant view of another (or calling its macro) leaves no scan in the plan.
    A body naming a tainted definition is tainted too, so this runs to a fixed
    point; a body that cannot be read is tainted.
    """
    schemas = frozenset(s.lower() for s in schemas)
    found = definitions(con, catalog)
    tainted: set[str] = set()
    changed = True
    while changed:
        changed = False
        for schema, name, body in found:
            key = f"{schema}.{name}".lower()
            if key in tainted:
                continue
            try:
                if body is None:
                    raise EngineRejected("no body")
                check_parsed(serialized(con, "json_serialize_sql", body), schemas, catalog,
                             shadows, tainted=frozenset(tainted), home=schema)
            except (UnsafeSQL, EngineRejected):
                tainted.add(key)
                changed = True
    return frozenset(tainted)


def shadowing_functions(con: duckdb.DuckDBPyConnection, catalog: str,
                        schemas: frozenset[str]) -> frozenset[str]:
    """Names (lower case) an unqualified call would resolve to a function defined in the
    database, in a schema outside ``schemas``.

    DuckDB looks an unqualified function up in its search path, the ``main``
    schemas of the temporary and default catalogs, *before* the built-ins:
    a macro ``main.reverse`` in the file replaces ``REVERSE`` in every query,
    and a table macro ``main.range`` replaces ``range``. Macros are expanded
    while binding, so the plan only shows what their bodies compute (a
    constant leaves no trace). Everything here is qualified with ``system``:
    the database's own macros must not answer this question either.
    """
    schemas = frozenset(s.lower() for s in schemas)
    rows = con.execute(
        "SELECT database_name, schema_name, system.main.lower(function_name) "
        "FROM system.main.duckdb_functions() WHERE database_name <> 'system' "
        "AND system.main.list_contains(system.main.current_schemas(true), schema_name)"
    ).fetchall()
    return frozenset(name for db, schema, name in rows
                     if not (db == catalog and schema.lower() in schemas))


# -- 1. lexer: nl2sql/safety/lexer.py ------------------------------------------


# -- 2. parser ----------------------------------------------------------------

def check_parsed(tree: dict[str, Any], schemas: frozenset[str], catalog: str,
                 shadows: frozenset[str] = frozenset(), *, tainted: frozenset[str] = frozenset(),
                 home: str = "") -> None:
    """``home``: the schema an unqualified name resolves to (a stored body's own);
    empty for a query, where an unqualified name must be a CTE."""
    statements = tree.get("statements") or []
    if len(statements) != 1:
        raise UnsafeSQL(_UNFAITHFUL.format(why=f"DuckDB reads {len(statements)} statements"),
                        check=CHECK)
    _check_tables(statements[0], frozenset(), _Names(schemas, catalog, tainted, home))
    table_calls: set[int] = set()  # the calls of table functions (visited before them)
    for node in dicts(statements[0]):
        if node.get("class") == "PARAMETER":
            raise UnsafeSQL("query parameters are not supported; write the value itself",
                            check=CHECK, construct="parameter")
        kind = node.get("type")
        if node.get("class") is None and isinstance(kind, str) and "sample" in node \
                and "alias" in node and kind not in TABLE_REFS:
            raise UnsafeSQL(f"`{kind.replace('_REF', '')}` is not a table a query may read",
                            check=CHECK, construct=kind)
        if kind == "TABLE_FUNCTION":
            table_calls.add(id(node.get("function")))
            name = str((node.get("function") or {}).get("function_name", "")).lower()
            if name not in TABLE_FUNCTIONS:
                raise UnsafeSQL(f"table function `{name}` is not allowed: queries read tables "
                                "of the allowed datasets", check=CHECK, construct=name)
        if node.get("class") in ("FUNCTION", "WINDOW") and "function_name" in node:
            _check_function_name(str(node["function_name"]), node.get("schema") or "",
                                 node.get("catalog") or "", schemas, shadows)
            _check_not_tainted(str(node["function_name"]), node.get("schema") or "",
                               tainted, home)
            low = str(node["function_name"]).lower()
            if low in UNBOUNDED_BUILDERS or (low in UNBOUNDED_SCALARS
                                             and id(node) not in table_calls):
                raise UnsafeSQL(f"function `{low}` is not allowed: it builds a value of any "
                                "size in one call that the engine cannot stop", check=CHECK,
                                construct=low)


class _Names(NamedTuple):
    """What a table name is judged against."""
    schemas: frozenset[str]
    catalog: str
    tainted: frozenset[str]
    home: str


def _check_tables(node: Any, ctes: frozenset[str], names: _Names) -> None:
    """Every table DuckDB's parser saw is a CTE visible there, by DuckDB's rules, or a
    table of an allowed schema that is not a tainted view.

    The bound plan shows the tables scanned, but a view whose body reads no
    table (``CREATE VIEW hr.v AS SELECT 'secret'``) leaves no scan behind; so
    names are judged here too. A CTE sees the CTEs before it; its own name only
    in the recursive term (``right``) of a recursive CTE; anywhere else DuckDB
    would look a one-part name up in the catalog, so it must not be one.
    """
    if isinstance(node, list):
        for item in node:
            _check_tables(item, ctes, names)
        return
    if not isinstance(node, dict):
        return
    if node.get("type") == "BASE_TABLE":
        _check_base_table(node, ctes, names)
        return
    entries = (node.get("cte_map") or {}).get("map") or []
    inner = ctes
    for entry in entries:
        body = (entry.get("value") or {}).get("query_node")
        _check_tables(body, inner, names)
        inner = inner | {str(entry.get("key", "")).lower()}
    if node.get("type") == "RECURSIVE_CTE_NODE":
        own = str(node.get("cte_name", "")).lower()
        _check_tables(node.get("left"), inner - {own}, names)
        _check_tables(node.get("right"), inner | {own}, names)
    done = {"cte_map", "left", "right"} if node.get("type") == "RECURSIVE_CTE_NODE" \
        else {"cte_map"}
    for key, value in node.items():
        if key not in done:
            _check_tables(value, inner, names)


def _check_base_table(node: dict[str, Any], ctes: frozenset[str], names: _Names) -> None:
    cat, schema = node.get("catalog_name") or "", node.get("schema_name") or ""
    table = str(node.get("table_name"))
    if not schema and not cat and table.lower() in ctes:
        return
    schema = schema or ("" if cat else names.home)  # a stored body reads its own schema
    name = f"{schema}.{table}" if schema else table
    if cat and f"{cat}.{schema}".lower() in names.schemas:
        return  # a schema of another catalog the warehouse provides (e.g. INFORMATION_SCHEMA)
    if cat and cat != names.catalog:
        raise UnsafeSQL(f"table `{cat}.{name}` is in another database", check=CHECK,
                        construct=name)
    if not schema:
        raise UnsafeSQL(f"table `{table}` is neither a CTE visible there nor qualified with "
                        "an allowed dataset", check=CHECK, construct=table)
    if schema.lower() not in names.schemas:
        raise UnsafeSQL(f"table `{name}` is outside the allowed datasets", check=CHECK,
                        construct=name)
    if name.lower() in names.tainted:
        raise UnsafeSQL(f"view `{name}` is not allowed: its definition reads outside the "
                        "allowed datasets", check=CHECK, construct=name)


def _check_not_tainted(name: str, schema: str, tainted: frozenset[str], home: str) -> None:
    """A macro whose body reads outside the allowed datasets may not be called; an
    unqualified call resolves in the body's own schema or ``main``."""
    owners = [schema] if schema else [s for s in (home, "main") if s]
    for owner in owners:
        if f"{owner}.{name}".lower() in tainted:
            raise UnsafeSQL(f"function `{owner}.{name}` is not allowed: its definition reads "
                            "outside the allowed datasets", check=CHECK, construct=name)


def _check_function_name(name: str, schema: str, cat: str, schemas: frozenset[str],
                         shadows: frozenset[str]) -> None:
    low = name.lower()
    if cat or (schema and schema.lower() not in schemas):
        shown = ".".join(p for p in (cat, schema, name) if p)
        raise UnsafeSQL(f"function `{shown}` is not allowed: it is outside the allowed datasets",
                        check=CHECK, construct=shown)
    if not schema and low in shadows:
        raise UnsafeSQL(f"function `{name}` is not allowed: in this warehouse the name is a "
                        "routine stored outside the allowed datasets", check=CHECK,
                        construct=name)
    reason = engine_denied(low)
    if reason:
        raise UnsafeSQL(f"function `{name}` is not allowed: it {reason}", check=CHECK,
                        construct=name)


def engine_denied(name: str) -> str | None:
    """Why the DuckDB function ``name`` (lower case) may not run, or None."""
    upper = name.upper()
    if upper in DENIED_FUNCTIONS:
        return DENIED_FUNCTIONS[upper]
    for prefix, reason in DENIED_PREFIXES.items():
        if upper.startswith(prefix):
            return reason
    if name in ENGINE_DENIED or name.startswith(ENGINE_DENIED_PREFIXES):
        return "exposes the embedded engine's session, settings or catalog of every schema"
    return None


# -- 3. binder ----------------------------------------------------------------

def check_plan(plan: dict[str, Any], schemas: frozenset[str], catalog: str) -> None:
    for node in dicts(plan.get("plans") or []):
        kind = node.get("type")
        if isinstance(kind, str) and kind.startswith("LOGICAL_") and "children" in node:
            if kind not in OPERATORS:
                raise UnsafeSQL(f"the query does something other than read tables ({kind})",
                                check=CHECK, construct=kind)
            if kind == "LOGICAL_GET":
                _check_scan(node, schemas, catalog)
        if "expression_class" in node:
            if node["expression_class"] == "BOUND_PARAMETER":
                raise UnsafeSQL("query parameters are not supported; write the value itself",
                                check=CHECK, construct="parameter")
            path = _qname(node)
            if path:
                _check_bound_function(path)


def _check_scan(node: dict[str, Any], schemas: frozenset[str], catalog: str) -> None:
    path = _qname(node)
    name = path[-1].lower() if path else ""
    if name == "seq_scan":
        data = node.get("function_data") or {}
        cat, schema, table = data.get("catalog"), data.get("schema"), data.get("table")
        if f"{cat}.{schema}".lower() in schemas:
            return
        if cat != catalog or str(schema).lower() not in schemas:
            shown = f"{schema}.{table}" if cat == catalog else f"{cat}.{schema}.{table}"
            raise UnsafeSQL(f"table `{shown}` is outside the allowed datasets", check=CHECK,
                            construct=shown)
        return
    if name not in TABLE_FUNCTIONS or (len(path) > 1 and path[:2] != ["system", "main"]):
        shown = ".".join(path) or "an unknown source"
        reason = engine_denied(name) or "reads something other than the allowed datasets"
        raise UnsafeSQL(f"`{shown}` is not allowed: it {reason}", check=CHECK, construct=shown)


def _check_bound_function(path: list[str]) -> None:
    name = path[-1].lower()
    if len(path) > 1 and path[:2] != ["system", "main"]:
        shown = ".".join(path)
        raise UnsafeSQL(f"function `{shown}` is not allowed: it is not a built-in function",
                        check=CHECK, construct=shown)
    reason = engine_denied(name)
    if reason:
        raise UnsafeSQL(f"function `{name}` is not allowed: it {reason}", check=CHECK,
                        construct=name)


def _qname(node: dict[str, Any]) -> list[str]:
    qname = node.get("qname")
    if isinstance(qname, dict) and isinstance(qname.get("path"), list):
        return [str(p) for p in qname["path"]]
    return []
