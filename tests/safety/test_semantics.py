"""GoogleSQL that DuckDB would run with another meaning is rewritten (or refused).

Each case runs ``to_duckdb`` on a real DuckDB (session zone UTC, as in the
warehouse) and compares with BigQuery's documented result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pytest

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.combiners import MAX_CONCAT_CHARS
from nl2sql.safety.semantics import MAX_BUILT_CHARS, MAX_GENERATED
from nl2sql.safety.transpile import to_duckdb

D = dt.date

CASES: list[tuple[str, list[Any]]] = [
    # BigQuery: 1-7 from Sunday.
    ("SELECT EXTRACT(DAYOFWEEK FROM DATE '2024-01-07'), EXTRACT(DAYOFWEEK FROM DATE '2024-01-13'),"
     " EXTRACT(DAYOFWEEK FROM TIMESTAMP '2024-01-08 10:00:00')", [1, 7, 2]),
    # WEEK counts Sunday-started weeks from 0; WEEK(MONDAY) Monday-started; ISOWEEK ISO.
    ("SELECT EXTRACT(WEEK FROM DATE '2024-01-06'), EXTRACT(WEEK FROM DATE '2024-01-07'),"
     " EXTRACT(WEEK(MONDAY) FROM DATE '2024-01-07'), EXTRACT(ISOWEEK FROM DATE '2024-12-30')",
     [0, 1, 1, 1]),
    # DATE_ADD/DATE_SUB stay DATEs, clamped to the end of the month.
    ("SELECT DATE_ADD(DATE '2024-01-31', INTERVAL 1 MONTH), DATE_SUB(DATE '2024-03-31', "
     "INTERVAL 1 MONTH), DATE_ADD(DATE '2024-02-29', INTERVAL 1 YEAR), "
     "DATE_ADD(DATE '2024-01-31', INTERVAL 1 QUARTER)",
     [D(2024, 2, 29), D(2024, 2, 29), D(2025, 2, 28), D(2024, 4, 30)]),
    # DATE_TRUNC and DATE_FROM_UNIX_DATE return DATEs.
    ("SELECT DATE_TRUNC(DATE '2024-01-10', WEEK), DATE_TRUNC(DATE '2024-01-10', WEEK(MONDAY)),"
     " DATE_TRUNC(DATE '2024-05-10', QUARTER), DATE_FROM_UNIX_DATE(19723)",
     [D(2024, 1, 7), D(2024, 1, 8), D(2024, 4, 1), D(2024, 1, 1)]),
    ("SELECT ARRAY_AGG(x ORDER BY x DESC LIMIT 3) FROM UNNEST([5, 1, 4, 2, 3]) AS x",
     [[5, 4, 3]]),
    # WITH OFFSET counts from 0.
    ("SELECT ARRAY_AGG(o ORDER BY o) FROM UNNEST(['a', 'b', 'c']) AS x WITH OFFSET AS o",
     [[0, 1, 2]]),
    ("SELECT x FROM UNNEST([10, 20, 30]) AS x WITH OFFSET o WHERE o = 1", [20]),
    ("SELECT FORMAT('%d items', 5), FORMAT('%.2f', 1.234), FORMAT('%s-%s', 'a', 'b')",
     ["5 items", "1.23", "a-b"]),
    ("SELECT BYTE_LENGTH('été'), LENGTH('été')", [5, 3]),
    ("SELECT DATE_DIFF(DATE '2024-01-01', DATE '2023-12-31', YEAR), "
     "DATE_DIFF(DATE '2024-01-07', DATE '2024-01-06', WEEK), SAFE_DIVIDE(1, 0), DIV(7, 2)",
     [1, 1, None, 3]),
    ("SELECT ARRAY_LENGTH(GENERATE_ARRAY(1, 10, 2)), "
     "ARRAY_LENGTH(GENERATE_DATE_ARRAY('2024-01-01', '2024-12-31', INTERVAL 1 WEEK)), "
     "ARRAY_LENGTH(GENERATE_TIMESTAMP_ARRAY(TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-02', "
     "INTERVAL 1 HOUR))", [5, 53, 25]),
    ("SELECT REPEAT('ab', 3), LPAD('a', 3, 'x'), RPAD('a', 2)", ["ababab", "xxa", "a "]),
    ("SELECT RANGE_BUCKET(20, [0, 10, 20, 30]), RANGE_BUCKET(5, [10, 20]), "
     "RANGE_BUCKET(NULL, [1]), RANGE_BUCKET(25, [])", [3, 0, None, 0]),
    ("SELECT SAFE.PARSE_DATE('%Y%m%d', 'x'), SAFE.PARSE_DATE('%Y%m%d', '20240107')",
     [None, D(2024, 1, 7)]),
    ("SELECT EXTRACT(DATE FROM TIMESTAMP '2024-01-07 23:00:00'), "
     "EXTRACT(TIME FROM TIMESTAMP '2024-01-07 23:00:00')", [D(2024, 1, 7), dt.time(23, 0)]),
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    connection.execute("SET TimeZone = 'UTC'")
    return connection


@pytest.mark.parametrize("sql, expected", CASES)
def test_runs_with_bigquery_meaning(con: duckdb.DuckDBPyConnection, sql: str,
                                    expected: list[Any]) -> None:
    assert list(con.execute(to_duckdb(sql)).fetchone() or ()) == expected


@pytest.mark.parametrize("sql", [
    "SELECT ARRAY_LENGTH(GENERATE_ARRAY(1, 300000000))",
    "SELECT ARRAY_LENGTH(GENERATE_ARRAY(0, n)) FROM UNNEST([10, 300000000]) AS n",
    "SELECT ARRAY_LENGTH(GENERATE_DATE_ARRAY('1000-01-01', '9999-12-31'))",
    "SELECT ARRAY_LENGTH(GENERATE_TIMESTAMP_ARRAY(TIMESTAMP '2024-01-01', "
    "TIMESTAMP '2025-01-01', INTERVAL 1 SECOND))",
    "SELECT LENGTH(REPEAT('ab', 100000000))",
    "SELECT LENGTH(LPAD('a', 1000000000, 'x'))",
    "SELECT LENGTH(FORMAT('%1000000000d', 1))",
    "SELECT LENGTH(PRINTF('%.1000000000f', 1.5))",
    # sums of sizes, level after level: each concatenation is bounded on its own
    "WITH a AS (SELECT REPEAT('x', 60000) AS s) SELECT LENGTH(CONCAT(s, s)) FROM a",
    "WITH a AS (SELECT REPEAT('x', 60000) AS s) SELECT LENGTH(s || '-' || s) FROM a",
    "WITH a AS (SELECT REPEAT('x', 60000) AS s) SELECT LENGTH(FORMAT('%s%s', s, s)) FROM a",
    "WITH a AS (SELECT GENERATE_ARRAY(1, 60000) AS x) "
    "SELECT ARRAY_LENGTH(ARRAY_CONCAT(x, x)) FROM a",
    # encodings grow by a factor, level after level: TO_HEX doubles, TO_BASE64 adds a third
    "WITH a AS (SELECT REPEAT('x', 60000) AS s) SELECT LENGTH(TO_HEX(CAST(s AS BYTES))) FROM a",
    "WITH a AS (SELECT REPEAT('x', 60000) AS s) "
    "SELECT LENGTH(TO_BASE64(CAST(s AS BYTES))) FROM a",
])
def test_huge_generated_values_stop_before_they_are_built(con: duckdb.DuckDBPyConnection,
                                                          sql: str) -> None:
    with pytest.raises(duckdb.InvalidInputException,
                       match=f"more than {MAX_GENERATED} elements|longer than {MAX_BUILT_CHARS}"
                             f"|longer than {MAX_CONCAT_CHARS}"
                             "|widths up to three digits"):
        con.execute(to_duckdb(sql)).fetchall()


@pytest.mark.parametrize("sql, reason", [
    ("SELECT APPROX_TOP_COUNT(x, 2) FROM UNNEST(['a']) AS x", "cannot run faithfully"),
    ("SELECT @@project_id", "system variables"),
    ("SELECT * FROM d.INFORMATION_SCHEMA.VIEWS", "not available in the DuckDB warehouse"),
    ("SELECT 1 FROM d.t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01'", "keeps no history"),
    ("SELECT CAST(DATE '2024-01-07' AS STRING FORMAT 'YYYY')", r"CAST\(\.\.\. FORMAT"),
    ("SELECT LIST_REDUCE([1, 2], (a, b) -> a || a, 'x')", "lambda functions"),
])
def test_what_has_no_faithful_rendering_is_refused(sql: str, reason: str) -> None:
    with pytest.raises(UnsafeSQL, match=reason):
        to_duckdb(sql)
