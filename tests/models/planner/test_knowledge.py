"""Business knowledge: a dataset's defined metrics are applied, documented rules are
never silently ignored. The catalog is read from real tool outputs over DuckDB, with
the ``metrics``/``entities`` keys of the knowledge contract added to ``list_tables``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nl2sql.models.planner.audit import audit
from nl2sql.models.planner.catalog import Catalog
from nl2sql.models.planner.explain import interpretation
from nl2sql.models.planner.knowledge import Metric, defined_terms, find_metric, metrics_from
from nl2sql.models.planner.resolve import understand
from nl2sql.models.planner.sqlbuild import to_sql
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import gold, make_db

SALES_SQL = """
CREATE SCHEMA sales;
CREATE TABLE sales.customers (id BIGINT, name VARCHAR, region VARCHAR);
CREATE TABLE sales.lines (id BIGINT, customer_id BIGINT, state VARCHAR, net DOUBLE,
                          created_at TIMESTAMP);
INSERT INTO sales.customers SELECT i, 'C' || i, ['East', 'West'][1 + i % 2] FROM range(1, 9) t(i);
INSERT INTO sales.lines SELECT i, 1 + i % 8, ['ok', 'void', 'ok', 'back'][1 + i % 4], i * 2.0,
  TIMESTAMP '2023-01-01' + INTERVAL (i * 5) DAY FROM range(1, 161) t(i);
"""
METRIC = {"name": "bookings", "synonyms": ["booked sales"], "description": "net of kept lines",
          "table": "sales.lines", "expression": "SUM(net)",
          "filters": ["state NOT IN ('void', 'back')"], "time_column": "created_at"}


@pytest.fixture(scope="module")
def sales_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SALES_SQL)


def catalog(db: Path, extra: dict[str, Any]) -> Catalog:
    return catalog_of(db, "sales", extra)


def test_a_named_metric_is_its_expression_with_its_rules(sales_db: Path) -> None:
    cat = catalog(sales_db, {"metrics": [METRIC]})
    u = understand("What are the total bookings by region in 2023?", cat)

    assert u.plan is not None, u.problem
    sql = to_sql(u.plan)
    expected = gold(sales_db, "SELECT c.region, SUM(l.net) FROM sales.lines l JOIN "
                              "sales.customers c ON l.customer_id = c.id WHERE l.state NOT IN "
                              "('void', 'back') AND EXTRACT(YEAR FROM l.created_at) = 2023 "
                              "GROUP BY 1")
    got = gold(sales_db, sql.replace("`", '"'))
    assert sorted(got, key=str) == sorted(expected, key=str), sql
    read = interpretation(u.plan)
    assert read.measure.startswith("bookings") and read.definition == "SUM(net)"
    assert read.rules == ("bookings: state NOT IN ('void', 'back')",)
    assert u.parsed is not None
    assert audit(u.parsed.toks, u.parsed, u.readings, u.plan, cat).ok


def test_synonyms_name_the_metric_too() -> None:
    metrics = metrics_from({"metrics": [METRIC]})
    found = find_metric("booked sales per month", metrics)
    assert found is not None and found[0].name == "bookings"


def test_malformed_metrics_are_not_applied() -> None:
    bad = [{**METRIC, "expression": "SUM(("}, {**METRIC, "table": ""},
           {**METRIC, "filters": ["state = "]}]
    assert metrics_from({"metrics": bad}) == []


def test_a_term_the_notes_define_is_not_answered_without_its_rule(sales_db: Path) -> None:
    notes = "- Bookings are `lines.net`; leave out lines whose `state` is `void` or `back`."
    cat = catalog(sales_db, {"notes": notes})
    assert "bookings" in defined_terms(notes)
    u = understand("What is the total net of bookings?", cat)
    assert u.plan is not None and u.parsed is not None
    checked = audit(u.parsed.toks, u.parsed, u.readings, u.plan, cat)
    assert not checked.ok and "Bookings are `lines.net`" in checked.reason()


def test_a_metric_name_starting_inside_a_table_name_is_not_the_metric() -> None:
    sold = Metric("lines_sold", "shop.order_lines", "COUNT(*)", synonyms=("lines sold",))
    names = frozenset({("order", "line")})

    assert find_metric("How many lines sold in 2023?", [sold], names) is not None
    # "order lines" is the table; "lines sold" only overlaps its name
    assert find_metric("the number of order lines sold per region", [sold], names) is None


@pytest.mark.parametrize("question", [
    "How many lines did we sell in 2023?",
    "how many lines we sold in 2023",
    "How many lines that were sold in 2023?",
])
def test_a_participle_synonym_said_as_a_relative_clause_names_the_metric(question: str) -> None:
    sold = Metric("lines_sold", "shop.order_lines", "COUNT(*)", synonyms=("lines sold",))
    assert find_metric(question, [sold]) is not None


@pytest.mark.parametrize("question", [
    "How many parcels have they shipped?",
    "number of parcels we shipped per region",
])
def test_a_regular_participle_said_as_a_clause_names_the_metric(question: str) -> None:
    shipped = Metric("parcels_shipped", "post.parcel", "COUNT(*)",
                     synonyms=("parcels shipped",))
    assert find_metric(question, [shipped]) is not None


def test_a_clause_without_its_subject_or_with_another_verb_is_not_the_metric() -> None:
    sold = Metric("lines_sold", "shop.order_lines", "COUNT(*)", synonyms=("lines sold",))
    assert find_metric("How many lines did sell?", [sold]) is None  # no subject: no clause
    assert find_metric("How many lines did we return?", [sold]) is None  # another verb


def test_a_metric_said_as_a_clause_applies_its_rules(sales_db: Path) -> None:
    kept = {**METRIC, "name": "kept_lines", "synonyms": ["lines kept"],
            "expression": "COUNT(*)"}
    cat = catalog(sales_db, {"metrics": [kept]})
    u = understand("How many lines have we kept in 2023?", cat)
    assert u.plan is not None, u.problem
    want = gold(sales_db, "SELECT COUNT(*) FROM sales.lines WHERE state NOT IN ('void', 'back') "
                          "AND EXTRACT(YEAR FROM created_at) = 2023")
    assert gold(sales_db, to_sql(u.plan).replace("`", '"')) == want


@pytest.mark.parametrize("question", [
    "How many distinct buying customers were there in 2023?",
    "number of different buying customers per region",
])
def test_a_metric_counting_distinct_keys_answers_distinct(sales_db: Path, question: str) -> None:
    buyers = {"name": "buying_customers", "synonyms": ["buyers"], "table": "sales.lines",
              "expression": "COUNT(DISTINCT customer_id)", "time_column": "created_at"}
    cat = catalog(sales_db, {"metrics": [buyers]})
    u = understand(question, cat)
    assert u.plan is not None and u.parsed is not None, u.problem
    checked = audit(u.parsed.toks, u.parsed, u.readings, u.plan, cat)
    assert checked.ok, checked.reason()  # "distinct" is the metric's own COUNT(DISTINCT)
