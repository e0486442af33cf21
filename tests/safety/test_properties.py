"""Property-based tests: what must hold for any input, not just the golden cases.

* On arbitrary text the gate raises nothing but ``UnsafeSQL``.
* Whatever sqlglot parses into anything but one query is refused.
* Accepted SQL re-parses to exactly one query, capped, over allowed tables.
* Disguise (case, whitespace, comments between tokens) never turns a refusal
  into an acceptance.
"""

from __future__ import annotations

import os

import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError

from nl2sql.safety import CheckedSQL, Policy, UnsafeSQL, check_sql
from tests.safety.corpus import Case, load

POLICY = Policy(frozenset({"thelook_ecommerce", "analytics_123456"}), "acme-analytics",
                max_rows=1000)
PROPERTY = settings(max_examples=int(os.environ.get("SAFETY_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

TABLES = ["thelook_ecommerce.orders", "thelook_ecommerce.users", "`thelook_ecommerce.products`",
          "`acme-analytics.thelook_ecommerce.order_items`", "analytics_123456.events_*"]
ELSEWHERE = ["other.t", "`evil.thelook_ecommerce.orders`", "`region-us`.INFORMATION_SCHEMA.JOBS",
             "secrets", "hr.__TABLES__"]

# Fragments that matter to the gate, to make random text hit interesting paths.
FRAGMENTS = [
    "SELECT", "FROM", "WHERE", "WITH", "AS", "(", ")", ";", ",", "*", "1", "'x'", "`q`", "--",
    "/*", "*/", "#", "\n", "UNION ALL", "LIMIT", "ORDER BY", "DELETE", "INSERT INTO", "UPDATE",
    "SET", "MERGE", "DROP TABLE", "CREATE TEMP FUNCTION", "EXECUTE IMMEDIATE", "CALL", "BEGIN",
    "END", "DECLARE", "GRANT", "EXPORT DATA", "INTO", "FOR UPDATE", "EXTERNAL_QUERY", "read_csv",
    "INFORMATION_SCHEMA", "region-us", "UNNEST", "QUALIFY", "OVER", "PIVOT", "\u200b", "\x00",
    "；", "ＳＥＬＥＣＴ", *TABLES, *ELSEWHERE,
]
sql_soup = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join)
any_text = st.one_of(st.text(max_size=400), sql_soup)

KEYWORDS = {
    "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT", "OFFSET", "UNION", "ALL",
    "DISTINCT", "WITH", "AS", "AND", "OR", "NOT", "IN", "EXISTS", "DELETE", "INSERT", "INTO",
    "UPDATE", "SET", "MERGE", "USING", "ON", "WHEN", "MATCHED", "THEN", "TRUNCATE", "TABLE",
    "DROP", "CREATE", "REPLACE", "VIEW", "TEMP", "FUNCTION", "ALTER", "ADD", "COLUMN", "DECLARE",
    "BEGIN", "TRANSACTION", "COMMIT", "EXPORT", "DATA", "OPTIONS", "FOR", "VALUES", "JOIN",
    "LEFT", "CROSS", "UNNEST", "QUALIFY", "OVER", "PARTITION", "DESC", "ASC", "IS", "NULL",
}
SEPARATORS = [" ", "  ", "\n", "\t", " /* c */ ", " -- c\n", "\n# c\n", " /**/ ", "\r\n  "]


def accepted_or_refused(sql: str) -> CheckedSQL | UnsafeSQL:
    try:
        return check_sql(sql, POLICY)
    except UnsafeSQL as e:
        return e


def parsed_statements(sql: str) -> list[exp.Expr] | None:
    try:
        return [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]
    except (SqlglotError, RecursionError):
        return None


def assert_sound(checked: CheckedSQL) -> None:
    """What every accepted result must satisfy."""
    statements = parsed_statements(checked.sql)
    assert statements is not None and len(statements) == 1
    query = statements[0]
    assert isinstance(query, exp.Query)
    assert all(t.split(".")[0] in POLICY.allowed_datasets for t in checked.tables)
    # An oracle independent of the gate's own table walk: every table node of
    # the output is a CTE name or sits in an allowed dataset of the project.
    ctes = {cte.alias_or_name.lower() for cte in query.find_all(exp.CTE)}
    for table in query.find_all(exp.Table):
        if isinstance(table.this, exp.Func):
            continue
        if table.db:
            assert table.db in POLICY.allowed_datasets
            assert table.catalog in ("", POLICY.project)
        else:
            assert table.name.lower() in ctes
    while isinstance(query, exp.Subquery) and not query.args.get("limit"):
        query = query.this
    limit = query.args.get("limit")
    assert limit is not None and int(limit.expression.this) <= POLICY.max_rows + 1


@st.composite
def disguised(draw: st.DrawFn, sql: str) -> str:
    """``sql`` with keyword case flipped and whitespace/comments between tokens redrawn.

    Comments in the original are dropped; the tokens, and so the meaning, stay.
    """
    try:
        tokens = Dialect.get_or_raise("bigquery").tokenize(sql)
    except SqlglotError:
        return sql
    pieces = []
    for token in tokens:
        text = sql[token.start:token.end + 1]
        if text.upper() in KEYWORDS:
            text = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)
        pieces.append(text)
    out = draw(st.sampled_from(["", " ", "\n", "/* lead */ "]))
    for i, piece in enumerate(pieces):
        out += piece if i == 0 else draw(st.sampled_from(SEPARATORS)) + piece
    return out + draw(st.sampled_from(["", ";", " ; ", "\n-- tail", ";\n;"]))


@st.composite
def queries(draw: st.DrawFn, depth: int = 0) -> str:
    """Read-only queries of assorted shapes over allowed tables."""
    table = draw(st.sampled_from(TABLES))
    columns = draw(st.lists(st.sampled_from(
        ["a", "b AS bee", "COUNT(*) AS n", "SUM(x)", "1", "'s'", "CURRENT_DATE()",
         "ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) AS rn", "STRUCT(a, b) AS s",
         "ARRAY_LENGTH(arr)", "SAFE_DIVIDE(a, b)", "(SELECT MAX(z) FROM thelook_ecommerce.users)"]),
        min_size=1, max_size=4, unique=True))
    sql = f"SELECT {', '.join(columns)} FROM {table}"
    sql += draw(st.sampled_from([
        "", " WHERE a > 1", " WHERE b IN UNNEST(['x', 'y'])",
        " WHERE EXISTS (SELECT 1 FROM thelook_ecommerce.orders AS o WHERE o.id = a)",
        " AS t, UNNEST(t.arr) AS item", " GROUP BY a", " QUALIFY rn = 1"]))
    if draw(st.booleans()):
        sql += " ORDER BY 1" + draw(st.sampled_from(["", " DESC"]))
    limit = draw(st.none() | st.integers(min_value=0, max_value=5000))
    if limit is not None:
        sql += f" LIMIT {limit}" + draw(st.sampled_from(["", " OFFSET 3"]))
    if depth < 2:
        shape = draw(st.sampled_from(["plain", "paren", "union", "cte", "subquery"]))
        if shape == "paren":
            sql = f"({sql})"
        elif shape == "union":
            sql = f"({sql}) UNION ALL ({draw(queries(depth + 1))})"
        elif shape == "cte":
            sql = f"WITH c AS ({draw(queries(depth + 1))}) SELECT * FROM c JOIN ({sql}) USING (a)"
        elif shape == "subquery":
            sql = f"SELECT * FROM ({sql}) AS sub"
    return sql


@st.composite
def non_queries(draw: st.DrawFn) -> str:
    """Statements that write, define, script or lock, some hidden inside queries."""
    table = draw(st.sampled_from(TABLES + ELSEWHERE))
    query = draw(queries(depth=2))
    dml = draw(st.sampled_from([
        f"DELETE FROM {table} WHERE TRUE", f"INSERT INTO {table} (a) VALUES (1)",
        f"UPDATE {table} SET a = 1 WHERE TRUE", f"TRUNCATE TABLE {table}",
        f"MERGE {table} T USING {table} S ON TRUE WHEN MATCHED THEN DELETE",
    ]))
    return draw(st.sampled_from([
        dml, f"WITH w AS ({dml}) {query}", f"{query}; {dml}", f"{dml}; {query}",
        f"DROP TABLE {table}", f"CREATE TABLE {table} AS {query}",
        f"CREATE OR REPLACE VIEW {table} AS {query}", "CREATE TEMP FUNCTION f() AS (1)",
        f"ALTER TABLE {table} ADD COLUMN c INT64", "DECLARE x INT64", "SET x = 1",
        "BEGIN TRANSACTION", "COMMIT", f"EXPORT DATA OPTIONS (uri = 'gs://b/*') AS {query}",
        f"SELECT * INTO copy FROM {table}", f"SELECT * FROM {table} FOR UPDATE",
        f"EXECUTE IMMEDIATE 'DELETE FROM {table} WHERE TRUE'", "CALL p()",
        f"GRANT `roles/bigquery.admin` ON TABLE {table} TO 'user:x@example.com'",
        f"{query}; {query}",
    ]))


@PROPERTY
@given(any_text)
def test_arbitrary_text_raises_nothing_but_unsafe_sql(text: str) -> None:
    result = accepted_or_refused(text)
    if isinstance(result, CheckedSQL):
        assert_sound(result)
    else:
        assert result.message and "\n" not in result.message


@PROPERTY
@given(st.one_of(non_queries(), queries(), sql_soup).flatmap(disguised))
def test_whatever_sqlglot_parses_into_a_non_query_is_refused(sql: str) -> None:
    statements = parsed_statements(sql)
    one_query = (statements is not None and len(statements) == 1
                 and isinstance(statements[0], exp.Query))
    if not one_query:
        assert isinstance(accepted_or_refused(sql), UnsafeSQL)


@PROPERTY
@given(non_queries().flatmap(disguised))
def test_writes_and_scripts_are_refused_however_disguised(sql: str) -> None:
    assert isinstance(accepted_or_refused(sql), UnsafeSQL)


@PROPERTY
@given(queries().flatmap(disguised))
def test_accepted_sql_reparses_to_one_capped_query(sql: str) -> None:
    checked = check_sql(sql, POLICY)  # every generated query is safe: a refusal is a bug
    assert_sound(checked)
    again = check_sql(checked.sql, POLICY)
    assert again.tables == checked.tables
    assert check_sql(again.sql, POLICY) == again


DISGUISABLE = [c for c in load("unsafe") if c.sql.isascii() and c.expect["check"] != "input"
               and c.category not in ("too_deep",)]


@PROPERTY
@given(st.sampled_from(DISGUISABLE).flatmap(
    lambda case: disguised(case.sql).map(lambda sql: (case, sql))))
def test_golden_refusals_survive_disguise(case_and_sql: tuple[Case, str]) -> None:
    case, sql = case_and_sql
    try:
        checked = check_sql(sql, case.policy)
    except UnsafeSQL:
        return
    raise AssertionError(f"{case.category}: disguised form accepted: {sql!r} -> {checked.sql!r}")
