"""The system instruction keeps every rule it carries, however tersely it is written."""

from __future__ import annotations

import datetime as dt

from nl2sql.config import Settings
from nl2sql.prompts import system_instruction

DAY = dt.date(2025, 3, 7)


def test_bigquery_gets_its_particulars_and_duckdb_does_not() -> None:
    settings = Settings(allowed_datasets=("sales",))
    bq = system_instruction(settings, DAY, "BigQuery warehouse", catalog="- dataset sales")
    assert "`my-project.dataset.table`" in bq  # backticks for a project id with dashes
    assert "require_partition_filter" in bq and "partition columns" in bq
    assert "_TABLE_SUFFIX BETWEEN '20240101' AND '20240131'" in bq
    assert "different locations" in bq
    duck = system_instruction(settings, DAY, "DuckDB warehouse", catalog="- dataset sales")
    assert "_TABLE_SUFFIX" not in duck and "require_partition_filter" not in duck
    # the catalog comes last, after every rule, so the prefix is the same for each request
    assert bq.endswith("Catalog:\n- dataset sales")


def test_the_rules_every_model_is_given() -> None:
    text = system_instruction(Settings(allowed_datasets=("sales",)), DAY, "DuckDB warehouse",
                              catalog="- dataset sales")
    assert "Today is 2025-03-07 (Friday)" in text and "say which dates you used" in text
    assert "You may read: sales." in text
    assert "get_table" in text and "list_tables" in text and "one turn" in text
    assert "read-only GoogleSQL SELECT" in text and "fully qualified" in text
    assert "LIMIT" in text and "fix it" in text
    assert "expression and all" in text and "filters exactly" in text
    assert "time column" in text and "entities" in text and "name the definition" in text
    assert "Call search_verified_queries with the question" in text
    assert "same_question" in text
    assert "Never invent numbers" in text and "truncated" in text
    assert "clarifying question" in text and "follow-up" in text
    explore = system_instruction(Settings(), DAY, "DuckDB warehouse")
    assert "list_datasets" in explore and "Catalog:" not in explore
