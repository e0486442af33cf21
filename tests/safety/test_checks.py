"""Each check on its own, plus the pipeline's contract (order, names, fail-closed)."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from nl2sql.config import Settings
from nl2sql.safety import CHECKS, MAX_SQL_CHARS, TEXT_CHECKS, Policy, UnsafeSQL, check_sql
from nl2sql.safety.functions import check_functions
from nl2sql.safety.gate import run_check
from nl2sql.safety.parsing import check_parse, check_single_statement
from nl2sql.safety.rowcap import check_row_cap
from nl2sql.safety.statements import check_query_only
from nl2sql.safety.tables import check_tables, referenced_tables
from nl2sql.safety.text import check_input

SHOP = Policy(frozenset({"shop"}), max_rows=100)


def tree(sql: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read="bigquery")


def refusal(check: object, *args: object) -> UnsafeSQL:
    with pytest.raises(UnsafeSQL) as info:
        check(*args)  # type: ignore[operator]
    return info.value


def test_pipeline_order_and_names() -> None:
    assert [c.__name__ for c in TEXT_CHECKS] == [
        "check_input", "check_parse", "check_single_statement"]
    assert [c.__name__ for c in CHECKS] == [
        "check_query_only", "check_tables", "check_functions", "check_row_cap"]


# --- input ---


def test_input_accepts_ordinary_text_and_unicode_literals() -> None:
    sql = "SELECT 'São Paulo', '東京', '🎉'\n\tFROM shop.t\r\n"
    assert check_input(sql, SHOP) == sql


def test_input_blanks_a_leading_bom_keeping_positions() -> None:
    assert check_input("\ufeffSELECT 1", SHOP) == " SELECT 1"
    error = refusal(check_sql, "\ufeffSELECT 1; SELECT 2", SHOP)
    assert error.position == 11


def test_input_length_limit_is_exact() -> None:
    padding = "SELECT 1" + " " * (MAX_SQL_CHARS - len("SELECT 1"))
    assert check_input(padding, SHOP) == padding
    error = refusal(check_input, padding + " ", SHOP)
    assert error.check == "input" and str(MAX_SQL_CHARS) in error.message


def test_input_must_be_text() -> None:
    assert refusal(check_sql, b"SELECT 1", SHOP).check == "input"
    assert refusal(check_sql, None, SHOP).check == "input"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\u200b", "\u200e", "\u2066",
                                  "\u2029", "\ue000", "\u00a0", "\u2009"])
def test_input_refuses_invisible_and_odd_characters(char: str) -> None:
    error = refusal(check_input, f"SELECT 1{char}", SHOP)
    assert error.position == 8 and error.construct == f"U+{ord(char):04X}"


# --- parse and single statement ---


def test_parse_error_position_counts_lines() -> None:
    error = refusal(check_parse, "SELECT 1\nFROM\nWHERE x", SHOP)
    assert error.check == "parse" and error.position == 14 and error.construct == "WHERE"


def test_parse_refuses_command_fallback() -> None:
    error = refusal(check_parse, "  EXECUTE IMMEDIATE 'SELECT 1'", SHOP)
    assert error.construct == "EXECUTE" and error.position == 2


def test_parse_keeps_only_real_statements() -> None:
    statements = check_parse(";; SELECT 1; -- trailing\n;/* c */", SHOP)
    assert [type(s) for s in statements] == [exp.Select]
    assert statements[0].meta["start"] == 3


def test_single_statement_counts_and_points_at_the_second() -> None:
    statements = check_parse("SELECT 1;\n  /* x */ DROP TABLE shop.t", SHOP)
    error = refusal(check_single_statement, statements, SHOP)
    assert error.position == 20 and error.construct == "DROP"
    assert refusal(check_single_statement, [], SHOP).message.startswith("the SQL is empty")


# --- query only ---


def test_query_only_passes_queries_of_every_shape() -> None:
    for sql in ("SELECT 1", "(SELECT 1)", "SELECT 1 UNION ALL SELECT 2",
                "WITH a AS (SELECT 1) SELECT * FROM a", "SELECT 1 EXCEPT DISTINCT SELECT 2"):
        check_query_only(tree(sql), SHOP)


def test_query_only_finds_writes_anywhere() -> None:
    error = refusal(check_query_only, tree("WITH a AS (INSERT INTO shop.t VALUES (1)) SELECT 1"),
                    SHOP)
    assert error.construct == "INSERT"


def test_query_only_refuses_node_kinds_nobody_reviewed() -> None:
    class Teleport(exp.Expression):
        """A construct a future sqlglot might parse; the allowlist has never seen it."""

    query = tree("SELECT a FROM shop.t")
    query.set("where", exp.Where(this=Teleport()))
    error = refusal(check_query_only, query, SHOP)
    assert error.construct == "TELEPORT"


# --- tables ---


def test_tables_resolve_ctes_by_scope() -> None:
    check_tables(tree("WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n FROM r) "
                      "SELECT * FROM r"), SHOP)
    check_tables(tree("WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b"), SHOP)
    check_tables(tree("WITH a AS (SELECT 1) SELECT * FROM (SELECT * FROM A)"), SHOP)
    # Without RECURSIVE a CTE does not see itself.
    error = refusal(check_tables, tree("WITH r AS (SELECT * FROM r) SELECT * FROM r"), SHOP)
    assert error.construct == "r"


def test_referenced_tables_are_sorted_unique_and_skip_ctes_and_functions() -> None:
    query = tree("WITH c AS (SELECT * FROM shop.b) SELECT * FROM c, shop.a, shop.b, "
                 "ML.PREDICT(MODEL shop.m, TABLE shop.a)")
    assert referenced_tables(query, SHOP) == ("shop.a", "shop.b", "shop.m")


def test_tables_project_rules() -> None:
    with_project = Policy(frozenset({"shop"}), project="acme")
    check_tables(tree("SELECT * FROM `acme.shop.t`"), with_project)
    assert "only project `acme`" in refusal(check_tables, tree("SELECT * FROM `zeta.shop.t`"),
                                            with_project).message
    no_allowlist = Policy(frozenset(), project="acme")
    assert "only project `acme`" in refusal(check_tables, tree("SELECT * FROM zeta.shop.t"),
                                            no_allowlist).message
    assert "names a project" in refusal(check_tables, tree("SELECT * FROM `acme.shop.t`"),
                                        SHOP).message


def test_tables_any_dataset_still_refuses_engine_catalogs_and_region_views() -> None:
    anything = Policy()
    check_tables(tree("SELECT * FROM whatever.t"), anything)
    for sql in ("SELECT * FROM pg_catalog.pg_tables", "SELECT * FROM information_schema.tables",
                "SELECT * FROM `region-us`.INFORMATION_SCHEMA.JOBS"):
        assert refusal(check_tables, tree(sql), anything).check == "tables"


# --- functions ---


def test_functions_allow_builtins_and_routines_in_allowed_datasets() -> None:
    check_functions(tree("SELECT NET.HOST(u), SAFE.LOG(x, 2), shop.udf(x), HLL_COUNT.INIT(x) "
                         "FROM shop.t"), SHOP)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM EXTERNAL_QUERY('c', 's')", "SELECT SAFE.EXTERNAL_QUERY('c', 's')",
    "SELECT Read_Csv('x')", "SELECT * FROM `read_parquet`('x')", "SELECT AI.GENERATE('x')",
    "SELECT other.udf(1)", "SELECT * FROM other.tvf()", "SELECT `p.shop.udf`(1)",
])
def test_functions_refuse(sql: str) -> None:
    assert refusal(check_functions, tree(sql), SHOP).check == "functions"


# --- row cap ---


@pytest.mark.parametrize(("sql", "capped"), [
    ("SELECT a FROM shop.t", "SELECT a FROM shop.t LIMIT 101"),
    ("SELECT a FROM shop.t LIMIT 100", "SELECT a FROM shop.t LIMIT 100"),
    ("SELECT a FROM shop.t LIMIT 0", "SELECT a FROM shop.t LIMIT 0"),
    ("SELECT a FROM shop.t LIMIT 101", "SELECT a FROM shop.t LIMIT 101"),
    ("SELECT a FROM shop.t ORDER BY a LIMIT 5000 OFFSET 7",
     "SELECT a FROM shop.t ORDER BY a LIMIT 101 OFFSET 7"),
    ("SELECT a FROM shop.t ORDER BY a OFFSET 7",
     "SELECT a FROM shop.t ORDER BY a LIMIT 101 OFFSET 7"),
    ("SELECT 1 UNION ALL SELECT 2", "SELECT 1 UNION ALL SELECT 2 LIMIT 101"),
    ("(SELECT a FROM shop.t ORDER BY a) ORDER BY a DESC",
     "(SELECT a FROM shop.t ORDER BY a) ORDER BY a DESC LIMIT 101"),
    ("((SELECT a FROM shop.t ORDER BY a LIMIT 3))",
     "((SELECT a FROM shop.t ORDER BY a LIMIT 3))"),
    ("WITH c AS (SELECT a FROM shop.t LIMIT 9999) SELECT * FROM c",
     "WITH c AS (SELECT a FROM shop.t LIMIT 9999) SELECT * FROM c LIMIT 101"),
])
def test_row_cap(sql: str, capped: str) -> None:
    assert check_row_cap(tree(sql), SHOP).sql("bigquery") == capped


# --- the gate as a whole ---


def test_gate_returns_the_regenerated_sql_without_comments() -> None:
    checked = check_sql("select a -- note */ DELETE\nFROM shop.t /* x */ ;", SHOP)
    assert checked.sql == "SELECT a FROM shop.t LIMIT 101"
    assert checked.tables == ("shop.t",) and checked.row_cap == 100


def test_gate_points_at_the_keyword_not_at_the_name_after_it() -> None:
    error = refusal(check_sql, "WITH x AS (\n  delete FROM shop.t WHERE TRUE) SELECT 1", SHOP)
    assert error.position == 14


def test_gate_fails_closed_on_unexpected_errors() -> None:
    def check_boom(tree: exp.Expr, policy: Policy) -> exp.Expr:
        raise KeyError("sqlglot bug")

    error = refusal(run_check, check_boom, tree("SELECT 1"), SHOP)
    assert error.check == "boom" and "could not be checked" in error.message


def test_policy_coerces_and_validates() -> None:
    assert Policy(allowed_datasets=("a", "b")).allowed_datasets == frozenset({"a", "b"})  # type: ignore[arg-type]
    settings = Settings(allowed_datasets=("shop",), max_rows=7)
    assert Policy.from_settings(settings, "acme") == Policy(frozenset({"shop"}), "acme", 7)
    with pytest.raises(ValueError):
        Policy(max_rows=0)


def test_an_allowlist_entry_may_name_another_project() -> None:
    # BigQuery's public datasets live in their own project.
    policy = Policy(frozenset({"shop", "bigquery-public-data.thelook"}), project="acme")
    query = tree("SELECT * FROM `bigquery-public-data.thelook.orders` o JOIN shop.users u "
                 "ON o.user_id = u.id")
    check_tables(query, policy)
    assert referenced_tables(query, policy) == ("bigquery-public-data.thelook.orders",
                                                "shop.users")
    # The entry is for that project only: not for a same-named dataset at home or elsewhere.
    for sql in ("SELECT * FROM thelook.orders",
                "SELECT * FROM `bigquery-public-data.shop.users`"):
        assert "outside the allowed datasets" in refusal(check_tables, tree(sql), policy).message
    message = refusal(check_tables, tree("SELECT * FROM `zeta.thelook.orders`"), policy).message
    assert "only project `acme` may be queried (besides bigquery-public-data.thelook)" in message


def test_many_ctes_are_refused_quickly_with_a_clear_reason() -> None:
    ctes = ", ".join(f"c{i} AS (SELECT {i} AS n)" for i in range(200))
    error = refusal(check_sql, f"WITH {ctes} SELECT * FROM c199", SHOP)
    assert error.check == "parse" and "too complex" in error.message and "CTEs" in error.message
