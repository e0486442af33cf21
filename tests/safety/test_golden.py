"""Golden files: each unsafe statement is refused for its stated reason; each safe query passes."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlglot
from sqlglot import exp

from nl2sql.safety import UnsafeSQL, check_sql
from tests.safety.corpus import Case, load

UNSAFE = load("unsafe")
SAFE = load("safe")

# The categories the issue names; each must have golden cases.
REQUIRED_UNSAFE = {
    "empty", "non_sql", "control_character", "invisible_character", "odd_whitespace", "too_long",
    "too_deep", "lookalike", "multi_statement", "dml", "dml_nested", "export_load", "ddl", "dcl",
    "transaction", "scripting", "into_locking", "engine_statement", "table_dataset",
    "table_function", "table_project", "table_unqualified", "information_schema",
    "file_as_table", "function_external", "function_routine", "function_duckdb", "row_cap",
}
REQUIRED_SAFE = {
    "window", "qualify", "unnest", "struct_array", "pivot", "set_operation", "cte",
    "time_travel", "wildcard", "information_schema", "parenthesised", "limit",
}


def test_corpus_is_large_and_covers_every_category() -> None:
    assert len(UNSAFE) >= 100
    assert len(SAFE) >= 50
    assert {c.category for c in UNSAFE} >= REQUIRED_UNSAFE
    assert {c.category for c in SAFE} >= REQUIRED_SAFE
    # Every check of the pipeline is exercised by some unsafe case.
    checks = Counter(c.expect["check"] for c in UNSAFE)
    assert set(checks) == {"input", "parse", "single_statement", "query_only", "tables",
                           "functions", "row_cap", "round_trip"}


@pytest.mark.parametrize("case", UNSAFE, ids=[c.id for c in UNSAFE])
def test_unsafe_is_refused_for_the_stated_reason(case: Case) -> None:
    with pytest.raises(UnsafeSQL) as info:
        check_sql(case.sql, case.policy)
    error = info.value
    assert error.check == case.expect["check"], error.message
    assert case.expect["reason"].lower() in error.message.lower()
    if "construct" in case.expect:
        assert error.construct == case.expect["construct"]
    if "position" in case.expect:
        assert error.position == case.expect["position"]
    # Messages go back to the model and to users: one line, no internals.
    assert "\n" not in error.message
    assert "Traceback" not in error.message and "<class" not in error.message
    assert "could not be checked" not in error.message  # no case is an internal failure


@pytest.mark.parametrize("case", SAFE, ids=[c.id for c in SAFE])
def test_safe_passes_with_its_tables_and_a_row_cap(case: Case) -> None:
    checked = check_sql(case.sql, case.policy)
    assert list(checked.tables) == case.expect["tables"]
    assert checked.row_cap == case.policy.max_rows
    statements = [s for s in sqlglot.parse(checked.sql, read="bigquery") if s is not None]
    assert len(statements) == 1 and isinstance(statements[0], exp.Query)
    limit = case.expect.get("limit", case.policy.max_rows + 1)
    assert _top_limit(statements[0]) == limit
    # The output passes again, reading the same tables, and settles at once:
    # a second pass only normalises quoting (sqlglot writes
    # d.`INFORMATION_SCHEMA.COLUMNS`, then `d.INFORMATION_SCHEMA.COLUMNS`).
    again = check_sql(checked.sql, case.policy)
    assert again.tables == checked.tables
    assert check_sql(again.sql, case.policy) == again


def _top_limit(tree: exp.Expr) -> int:
    while isinstance(tree, exp.Subquery) and not tree.args.get("limit"):
        tree = tree.this
    return int(tree.args["limit"].expression.this)
