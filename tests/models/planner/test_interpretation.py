"""The interpretation: how a question was read, for every interface to show."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.interpretation import Interpretation, interpret_sql
from tests.models.planner.conftest import ask_db, make_db

SHOP_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id BIGINT, name VARCHAR, country VARCHAR);
CREATE TABLE shop.orders (id BIGINT, customer_id BIGINT, status VARCHAR, amount DOUBLE,
                          created_at TIMESTAMP);
INSERT INTO shop.customers SELECT i, 'C' || i, ['Peru', 'Kenya'][1 + i % 2] FROM range(1, 11) t(i);
INSERT INTO shop.orders SELECT i, 1 + i % 10, ['Paid', 'Refunded'][1 + i % 2], i * 1.5,
  TIMESTAMP '2023-06-01' + INTERVAL (i * 7) DAY FROM range(1, 101) t(i);
"""


@pytest.fixture(scope="module")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SHOP_SQL)


def test_to_dict_is_plain_json_with_every_field() -> None:
    d = Interpretation(measure="the number of orders", filters=("status 'Paid'",)).to_dict()
    assert set(d) == {"measure", "definition", "filters", "grouping", "ordering", "time_window",
                      "joins", "rules", "unused_words", "summary"}
    assert d["filters"] == ["status 'Paid'"]
    assert d["summary"] == "I read this as the number of orders, where status 'Paid'."


def test_interpret_sql_reads_aggregates_conditions_grouping_ordering_and_joins() -> None:
    read = interpret_sql(
        "SELECT c.country, AVG(o.amount) AS a FROM shop.orders AS o JOIN shop.customers AS c "
        "ON o.customer_id = c.id WHERE o.status != 'Refunded' AND o.amount > 3 "
        "GROUP BY 1 HAVING COUNT(*) > 5 ORDER BY a DESC LIMIT 3")
    assert read.measure == "average of o.amount"
    assert read.filters == ("o.status <> 'Refunded'", "o.amount > 3", "COUNT(*) > 5")
    assert read.grouping == ("c.country",)
    assert read.ordering == "ordered by a DESC, first 3"
    assert read.joins == ("shop.customers AS c",)


def test_interpret_sql_of_unreadable_text_says_so() -> None:
    assert "could not read" in interpret_sql("SELECT FROM WHERE (").summary


def test_the_planner_attaches_its_reading_to_the_answer(shop_db: Path) -> None:
    answer = ask_db(shop_db, "What is the total amount of paid orders by country in 2024?")

    assert answer.answered, answer.answer
    read = answer.interpretation
    assert read is not None
    assert read.measure == "the total amount" and read.definition == "SUM(amount)"
    assert read.filters == ("status 'Paid'",)
    assert read.grouping == ("country",)
    assert "2024" in read.time_window
    assert read.joins == ("shop.orders to shop.customers on customer_id = id",)
    assert read.summary.startswith("I read this as the total amount, by country")


def test_a_decline_names_the_words_it_could_not_use(shop_db: Path) -> None:
    answer = ask_db(shop_db, "How many orders were shipped overnight?")

    assert not answer.answered
    assert "'shipped', 'overnight'" in answer.answer
    assert answer.interpretation is not None
    assert answer.interpretation.unused_words == ("shipped", "overnight")
