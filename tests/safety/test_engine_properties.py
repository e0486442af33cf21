"""Property tests: the verdict holds for what DuckDB binds, on generated GoogleSQL.

Queries are generated from a small grammar whose names collide on purpose
with what DuckDB can resolve outside the allowed dataset: CTE names that are
also tables of `main` or catalog views (`api_keys`, `duckdb_tables`,
`pg_settings`), recursive CTEs that refer to themselves in the anchor, in the
recursive term or in a body without UNION, and catalog functions. For each
query the full path runs (gate, then the DuckDB warehouse). An oracle, a plain
DuckDB connection on a copy of the file, binds the same DuckDB text with no
checks at all; whenever the service ran a query:

* every table the oracle's plan scans is a table the gate reported, of the
  allowed dataset, and no function it resolved lives in ``pg_catalog``;
* the rows hold nothing of the canary.

And queries built only from allowed names (tables of the dataset, CTEs used
where GoogleSQL and DuckDB both see them) are always accepted and run.
"""

from __future__ import annotations

import json
import os
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nl2sql.config import Settings
from nl2sql.errors import Nl2SqlError
from nl2sql.safety import Policy, check_sql
from nl2sql.safety.transpile import to_duckdb
from nl2sql.warehouse.duckdb import CATALOG, DuckDBWarehouse
from tests.safety.canary import CANARY, build_canary

PROPERTY = settings(max_examples=int(os.environ.get("SAFETY_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
POLICY = Policy(frozenset({"shop"}), None, max_rows=50)
ALLOWED_TABLES = ["shop.orders", "shop.customers", "shop.big_orders"]
COLLIDING = ["api_keys", "settings", "duckdb_tables", "pg_settings", "salaries"]
OUTSIDE = ["hr.salaries", "main.api_keys", "hr.payroll", "main.settings"]
SAFE_FUNCTIONS = ["UPPER('a')", "ABS(-1)", "LENGTH('abc')", "1 + 1"]
CATALOG_FUNCTIONS = ["pg_get_viewdef(1)", "current_setting('threads')", "version()",
                     "current_database()", "col_description(1, 1)"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> DuckDBWarehouse:
    wh = DuckDBWarehouse(build_canary(tmp_path_factory.mktemp("served")),
                         Settings(allowed_datasets=("shop",), max_rows=50))
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = build_canary(tmp_path_factory.mktemp("oracle"))
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{path}' AS {CATALOG} (READ_ONLY)")
    con.execute(f"USE {CATALOG}")
    return con


def select(table: str, column: str = "1 AS x") -> str:
    return f"SELECT {column} FROM {table}"


@st.composite
def unsafe_or_safe(draw: st.DrawFn) -> str:
    """Queries mixing allowed names, colliding CTE names, outside tables and functions."""
    names = ALLOWED_TABLES + COLLIDING + OUTSIDE
    column = draw(st.sampled_from(["1 AS x", "COUNT(*) AS x"] + [
        f"{f} AS x" for f in SAFE_FUNCTIONS + CATALOG_FUNCTIONS]))
    cte = draw(st.sampled_from(COLLIDING + ["c1"]))
    recursive = draw(st.booleans())
    body = draw(st.sampled_from([
        select(draw(st.sampled_from(names + [cte]))),
        f"{select(draw(st.sampled_from(names + [cte])))} UNION ALL "
        f"{select(draw(st.sampled_from(names + [cte])))}",
        f"SELECT 1 AS x UNION ALL SELECT x + 1 FROM {cte} WHERE x < 3",
        f"SELECT 1 AS x UNION ALL SELECT x + 1 FROM (SELECT * FROM {cte}) AS r WHERE x < 3",
        f"SELECT (SELECT COUNT(*) FROM {draw(st.sampled_from(names + [cte]))}) AS x",
    ]))
    outer = draw(st.sampled_from([cte, cte, draw(st.sampled_from(names))]))
    main = draw(st.sampled_from([
        select(outer, column), f"SELECT * FROM (SELECT x FROM {outer}) AS s",
        f"{select(outer)} UNION ALL {select(draw(st.sampled_from(names)))}",
    ]))
    return f"WITH {'RECURSIVE ' if recursive else ''}{cte} AS ({body}) {main}"


@st.composite
def safe_queries(draw: st.DrawFn) -> str:
    """Queries that only read the allowed dataset and CTEs both engines see."""
    cte = draw(st.sampled_from(COLLIDING + ["c1"]))
    table = draw(st.sampled_from(ALLOWED_TABLES))
    function = draw(st.sampled_from(SAFE_FUNCTIONS))
    body = draw(st.sampled_from([
        select(table, f"{function} AS x"),
        f"SELECT 1 AS x UNION ALL SELECT x + 1 FROM {cte} WHERE x < 3",
        f"SELECT COUNT(*) AS x FROM {table} UNION ALL SELECT x - 1 FROM {cte} WHERE x > 0",
    ]))
    recursive = "RECURSIVE " if "UNION ALL" in body else draw(st.sampled_from(["", "RECURSIVE "]))
    main = draw(st.sampled_from([f"SELECT x FROM {cte}", f"SELECT COUNT(*) AS n FROM {cte}",
                                 f"SELECT c.x FROM {cte} AS c CROSS JOIN {table}"]))
    return f"WITH {recursive}{cte} AS ({body}) {main}"


def bound(oracle: duckdb.DuckDBPyConnection, sql: str) -> tuple[set[str], set[str]]:
    """Tables scanned (schema.table) and function paths resolved when DuckDB binds ``sql``."""
    plan = json.loads(oracle.execute("SELECT json_serialize_plan(?)", [sql]).fetchone()[0])
    tables: set[str] = set()
    functions: set[str] = set()
    stack: list[Any] = [plan]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            data = node.get("function_data")
            if isinstance(data, dict) and "table" in data:
                tables.add(f"{data.get('schema')}.{data.get('table')}")
            path = (node.get("qname") or {}).get("path") if isinstance(node.get("qname"),
                                                                        dict) else None
            if path:
                functions.add(".".join(path))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return tables, functions


@PROPERTY
@given(unsafe_or_safe())
def test_what_runs_binds_only_allowed_tables_and_leaks_nothing(
        warehouse: DuckDBWarehouse, oracle: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        checked = check_sql(sql, POLICY)
        rows = warehouse.query(checked.sql, max_rows=50, timeout_s=10).rows
    except Nl2SqlError as e:
        assert CANARY not in e.message.lower()
        return
    assert CANARY not in json.dumps(rows, default=str).lower()
    tables, functions = bound(oracle, to_duckdb(checked.sql))
    views = {"shop.big_orders": "shop.orders"}  # a view scans its base table
    reported = {views.get(t, t) for t in checked.tables}
    assert tables <= reported, (sql, tables, checked.tables)
    assert all(t.startswith("shop.") for t in tables)
    assert not any("pg_catalog" in f or "duckdb_" in f for f in functions), functions


@PROPERTY
@given(safe_queries())
def test_queries_over_allowed_names_are_accepted_and_run(warehouse: DuckDBWarehouse,
                                                         sql: str) -> None:
    checked = check_sql(sql, POLICY)
    warehouse.query(checked.sql, max_rows=50, timeout_s=10)


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Cf", "Co",
                                                                            "Cn", "Zl", "Zp"]),
               max_size=40))
def test_string_literals_mean_the_same_on_duckdb(warehouse: DuckDBWarehouse, value: str) -> None:
    """Quotes, backslashes, `$$`, `--` and `/*` inside a string stay inside it."""
    if any(c.isspace() and c != " " for c in value):
        return  # the gate refuses unusual spaces
    literal = json.dumps(value, ensure_ascii=False)  # a GoogleSQL "..." string with \\ escapes
    try:
        checked = check_sql(f"SELECT {literal} AS v", POLICY)
    except Nl2SqlError:
        return
    assert warehouse.query(checked.sql, max_rows=5, timeout_s=10).rows == [[value]]


def test_the_oracle_sees_the_canary(oracle: duckdb.DuckDBPyConnection) -> None:
    """The oracle is unrestricted, so the properties above compare with the truth."""
    assert bound(oracle, "SELECT * FROM hr.salaries")[0] == {"hr.salaries"}
