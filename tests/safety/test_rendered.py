"""The DuckDB rendering of a query is bounded and every builder in it is guarded."""

from __future__ import annotations

import time

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.dialects.bigquery import BigQuery

from nl2sql.errors import UnsafeSQL
from nl2sql.safety import Policy, check_sql
from nl2sql.safety.rendered import REPEATS_ARGUMENTS, check_rendered
from nl2sql.safety.transpile import to_duckdb


def test_every_function_whose_rendering_repeats_an_argument_is_counted() -> None:
    """A new sqlglot that writes another function with copies of its arguments must be
    listed, or nesting that function grows the text exponentially unseen."""
    missing: dict[str, int] = {}
    for name in sorted(set(BigQuery.Parser.FUNCTIONS) | set(exp.FUNCTION_BY_NAME)):
        for count in (1, 2, 3, 4):
            args = [f"zzarg{i}" for i in range(count)]
            try:
                tree = sqlglot.parse_one(f"SELECT {name}({', '.join(args)})", read="bigquery")
                text = tree.sql("duckdb")
            except Exception:  # noqa: BLE001 - a name that takes other arguments
                continue
            copies = max(text.count(a) for a in args)
            kind = type(tree.expressions[0]).__name__
            if copies > REPEATS_ARGUMENTS.get(kind, 1):
                missing[kind] = max(copies, missing.get(kind, 0))
    assert not missing


@pytest.mark.parametrize("template", [
    "LENGTH(CAST({} AS STRING))", "SAFE_DIVIDE(1, {})", "GREATEST({}, 1)",
    "INSTR('abc', 'b', {})", "REPLACE({}, 'a', 'bb')", "REGEXP_REPLACE({}, 'a', 'bb')",
    "REPEAT({}, 2)",
])
def test_nesting_that_multiplies_the_text_is_refused_quickly(template: str) -> None:
    value = "'a'"
    for _ in range(12):  # 2**12 copies and more; deeper fails to parse at all
        value = template.format(value)
    started = time.perf_counter()
    with pytest.raises(UnsafeSQL, match="too large|recursion|read back"):
        to_duckdb(f"SELECT {value} AS v")
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize("template", ["TO_ARRAY({})", "DECODE({}, 1, 2, 3)"])
def test_the_gate_renders_googlesql_within_bounds_too(template: str) -> None:
    """The gate's own rendering of GoogleSQL repeats arguments of some functions too:
    nested twenty deep, TO_ARRAY took minutes before any check could refuse it."""
    value = "1"
    for _ in range(20):
        value = template.format(value)
    started = time.perf_counter()
    try:
        check_sql(f"SELECT {value} AS v", Policy(max_rows=10))
    except UnsafeSQL as e:
        assert e.check in ("render", "round_trip")
    assert time.perf_counter() - started < 5


def test_a_chain_of_cleaning_replacements_is_not_refused() -> None:
    value = "name"
    for old, new in [("a", ""), ("b", "c"), ("-", " "), ("  ", " "), ("x", ""), ("é", "e")]:
        value = f"REPLACE({value}, '{old}', '{new}')"
    text = to_duckdb(f"SELECT LOWER(TRIM({value})) AS v FROM shop.customers")
    assert len(text) < 500


@pytest.mark.parametrize("sql", [
    "SELECT REPEAT('x', n) FROM t", "SELECT LPAD('x', n) FROM t",
    "SELECT GENERATE_SERIES(1, n) FROM t", "SELECT REPLACE(s, 'a', r) FROM t",
    "SELECT REGEXP_REPLACE(s, 'a', 'bb') FROM t",
    "SELECT REPEAT('x', CASE WHEN n > 1 THEN 5 ELSE n END) FROM t",
    "SELECT s || s FROM t", "SELECT 'a' || s || 'b' FROM t", "SELECT CONCAT(s, s) FROM t",
    "SELECT LIST_CONCAT(a, a) FROM t", "SELECT PRINTF('%s%s', s, s) FROM t",
    "SELECT HEX(b) FROM t", "SELECT LOWER(HEX(b)) FROM t", "SELECT TO_BASE64(b) FROM t",
])
def test_an_unguarded_builder_in_the_duckdb_text_is_refused(sql: str) -> None:
    """Whatever rewrite or rendering wrote it, the text that runs is judged."""
    with pytest.raises(UnsafeSQL, match="any size"):
        check_rendered(sql)


def test_guarded_builders_pass_and_a_huge_text_does_not() -> None:
    check_rendered(to_duckdb("SELECT REPEAT('x', 3) AS a, GENERATE_ARRAY(1, 5) AS b, "
                             "REPLACE('a', 'a', 'bb') AS c, SAFE.LPAD('x', 9) AS d, "
                             "CONCAT(s, '-', s) AS e, s || s || s AS f, 'a' || 'b' AS g, "
                             "ARRAY_CONCAT(x, x) AS h, FORMAT('%s/%d', s, 2) AS i, "
                             "TO_HEX(MD5(s)) AS j, TO_BASE64(b) AS k FROM t"))
    with pytest.raises(UnsafeSQL, match="too large"):
        check_rendered("SELECT " + " + ".join(["1"] * 40_000))
