"""Against a real DuckDB: the row cap keeps meaning, and what the gate refuses is a real danger.

The DuckDB warehouse runs the gate's GoogleSQL transpiled by sqlglot, so these
tests do the same: ``sqlglot.transpile(sql, read="bigquery", write="duckdb")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from nl2sql.safety import Policy, UnsafeSQL, check_sql

MAX_ROWS = 10
SHOP = Policy(frozenset({"shop"}), max_rows=MAX_ROWS)


@pytest.fixture(scope="module")
def con() -> Any:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA shop")
    # 50 rows, unique a, inserted out of order so only ORDER BY gives an order.
    con.execute("CREATE TABLE shop.t AS SELECT (i * 37) % 50 AS a, "
                "['red', 'green', 'blue'][i % 3 + 1] AS b FROM range(50) r(i)")
    yield con
    con.close()


def run(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sqlglot.transpile(sql, read="bigquery", write="duckdb")[0]).fetchall()


@pytest.mark.parametrize("sql", [
    "SELECT a FROM shop.t ORDER BY a DESC",
    "SELECT a, b FROM shop.t ORDER BY b, a",
    "SELECT a FROM shop.t ORDER BY a LIMIT 30 OFFSET 4",
    "SELECT a FROM shop.t ORDER BY a OFFSET 45",
    "(SELECT a FROM shop.t ORDER BY a DESC)",
    "((SELECT a FROM shop.t ORDER BY a DESC LIMIT 25))",
    "SELECT a FROM shop.t WHERE a < 20 UNION ALL SELECT a + 100 FROM shop.t ORDER BY 1 DESC",
    "(SELECT a FROM shop.t) EXCEPT DISTINCT (SELECT a FROM shop.t WHERE a > 30) ORDER BY a",
    "WITH c AS (SELECT a FROM shop.t ORDER BY a LIMIT 40) SELECT a FROM c ORDER BY a DESC",
    "SELECT b, COUNT(*) AS n FROM shop.t GROUP BY b ORDER BY n DESC, b",
    "SELECT a FROM shop.t QUALIFY ROW_NUMBER() OVER (ORDER BY a DESC) <= 12 ORDER BY a",
    "SELECT a FROM shop.t ORDER BY a LIMIT 5",
    "SELECT a FROM shop.t ORDER BY a LIMIT 10",
    "SELECT a FROM shop.t ORDER BY a LIMIT 11",
])
def test_row_cap_keeps_the_first_rows_and_reveals_truncation(con: Any, sql: str) -> None:
    everything = run(con, sql)
    checked = check_sql(sql, SHOP)
    capped = run(con, checked.sql)
    # The warehouse keeps row_cap rows and reads one more to learn `truncated`.
    assert capped == everything[: checked.row_cap + 1]
    assert (len(capped) > checked.row_cap) == (len(everything) > checked.row_cap)


def test_an_existing_smaller_limit_is_kept_and_nothing_is_truncated(con: Any) -> None:
    checked = check_sql("SELECT a FROM shop.t ORDER BY a LIMIT 7", SHOP)
    assert checked.sql.endswith("LIMIT 7")
    assert len(run(con, checked.sql)) == 7 <= checked.row_cap


# Each refusal below stops something DuckDB really does. The first SQL goes to
# the gate; the second proves the capability in a real DuckDB.
THREATS = [
    ("SELECT * FROM secrets.csv", "SELECT * FROM secrets.csv"),
    ("SELECT * FROM 'secrets.csv'", "SELECT * FROM 'secrets.csv'"),
    ("SELECT * FROM read_csv('secrets.csv')", "SELECT * FROM read_csv('secrets.csv')"),
    ("SELECT * FROM read_text('secrets.csv')", "SELECT content FROM read_text('secrets.csv')"),
    ("SELECT * FROM glob('*')", "SELECT * FROM glob('*')"),
    ("SELECT * FROM query('SELECT 42')", "SELECT * FROM query('SELECT 42')"),
    ("SELECT current_setting('threads')", "SELECT current_setting('threads')"),
    ("SELECT * FROM duckdb_settings()", "SELECT * FROM duckdb_settings()"),
    ("SELECT * FROM duckdb_tables()", "SELECT * FROM duckdb_tables()"),
    ("SELECT * FROM pragma_table_info('shop.t')", "SELECT * FROM pragma_table_info('shop.t')"),
    ("SELECT * FROM information_schema.tables", "SELECT * FROM information_schema.tables"),
    ("SELECT * FROM pg_catalog.pg_tables", "SELECT * FROM pg_catalog.pg_tables"),
    ("SELECT * FROM main.duckdb_columns", "SELECT * FROM main.duckdb_columns"),
    ("SELECT * FROM system.duckdb_tables", "SELECT * FROM system.duckdb_tables"),
    ("SELECT * FROM main.sqlite_master", "SELECT * FROM main.sqlite_master"),
]


@pytest.mark.parametrize(("gated", "proof"), THREATS, ids=[t[0] for t in THREATS])
def test_refused_sql_is_a_real_duckdb_capability(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, con: Any, gated: str, proof: str,
) -> None:
    (tmp_path / "secrets.csv").write_text("key,value\napi,hunter2\n")
    monkeypatch.chdir(tmp_path)
    assert con.execute(proof).fetchall()  # DuckDB does it...
    with pytest.raises(UnsafeSQL):  # ...so the gate refuses it, whatever the allowlist
        check_sql(gated, Policy())
