"""Questions the planner must decline rather than answer a different question.

Each is a general shape of misreading (a dropped "never", a comparison on a key,
"or" read as "and", a rate answered with counts, words it cannot place); the
schema is ours, and the answerable twins show the decline is not a blanket one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, gold, make_db

SHOP_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id BIGINT, name VARCHAR, country VARCHAR, age INTEGER);
CREATE TABLE shop.orders (id BIGINT, customer_id BIGINT, status VARCHAR, amount DOUBLE,
                          created_at TIMESTAMP);
INSERT INTO shop.customers SELECT i, 'C' || i, ['Peru', 'Kenya', 'Laos'][1 + i % 3], 18 + i * 3
  FROM range(1, 21) t(i);
INSERT INTO shop.orders SELECT i, 1 + i % 15, ['Paid', 'Refunded', 'Open'][1 + i % 3], i * 1.5,
  TIMESTAMP '2022-06-01' + INTERVAL (i * 9) DAY FROM range(1, 201) t(i);
"""


@pytest.fixture(scope="module")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SHOP_SQL)


@pytest.mark.parametrize("question", [
    "Which customers never cancelled an order?",  # the verb says more than "has orders"
    "Which orders were never paid?",  # "never" with no related rows to deny
    "How many customers have not more than 2 orders?",  # a negated count: not read
    "How many orders are not Paid or from Peru?",  # "not A or B" over two columns
    "How many customers were registered in both 2022 and 2023?",  # no related rows dated
    "What is the refund rate by country?",  # a rate, not counts per country
    "How many orders were created after 2024 or before 2023?",  # "or", not an empty AND
    "How many customers are between 30 and 20 years old?",  # no age meets both
    "How many orders are not paid but refunded in Peru?",
    "How many orders were shipped overnight?",  # words it cannot place
    "How many customers placed an order again in 2024?",  # repeat buyers, not all buyers
    "List the names of customers and their favourite colours.",
    # one timestamp grouped by a bucket and by itself: the date names the column, not a group
    "total amount per quarter in 2023, by created at",
    "number of orders per month in 2023 by created at",
    # a follow-up's fragment with no earlier turn: alone it would count countries
    "and by country?",
    "What about in 2023?",
])
def test_must_decline(shop_db: Path, question: str) -> None:
    answer = ask_db(shop_db, question)

    assert not answer.answered, (answer.sql, answer.answer)
    assert answer.rows == [] and answer.sql is None
    assert "I can answer questions such as" in answer.answer or "could not" in answer.answer


@pytest.mark.parametrize(("question", "query"), [
    ("How many customers are there?", "SELECT COUNT(*) FROM shop.customers"),
    ("How many orders are there by status?",
     "SELECT status, COUNT(*) FROM shop.orders GROUP BY 1"),
    ("What are the names of customers from Peru?",
     "SELECT name FROM shop.customers WHERE country = 'Peru'"),
    ("List the names and ages of customers in descending order of age.",
     "SELECT name, age FROM shop.customers ORDER BY age DESC"),
    ("How many customers are not from Peru or Kenya?",  # neither: NOT IN
     "SELECT COUNT(*) FROM shop.customers WHERE country NOT IN ('Peru', 'Kenya')"),
    ("Which customers never placed an order?",  # a set condition, not a list of buyers
     "SELECT name FROM shop.customers c WHERE c.id NOT IN (SELECT customer_id FROM shop.orders)"),
    ("How many customers have more than one order?",  # not customer_id > 1
     "SELECT COUNT(*) FROM (SELECT customer_id FROM shop.orders GROUP BY 1 HAVING COUNT(*) > 1)"),
])
def test_answerable_twins_are_answered(shop_db: Path, question: str, query: str) -> None:
    answer = ask_db(shop_db, question)

    assert answer.answered, answer.answer
    expected = gold(shop_db, query)
    got = [[r[answer.columns.index(c)] for c in answer.columns if c in answer.columns]
           for r in answer.rows]
    width = len(expected[0])
    assert sorted((r[:width] for r in got), key=str) == sorted(expected, key=str), answer.sql


AREAS_SQL = """
CREATE SCHEMA areas;
CREATE TABLE areas.Regions (RegionCode VARCHAR, RegionName VARCHAR);
CREATE TABLE areas.Customers (CustomerId BIGINT, RegionCode VARCHAR, FullName VARCHAR);
CREATE TABLE areas.Meters (MeterId BIGINT, CustomerId BIGINT);
CREATE TABLE areas.Readings (ReadingId BIGINT, MeterId BIGINT, ReadingSource VARCHAR, Kwh DOUBLE);
INSERT INTO areas.Regions VALUES ('N', 'North'), ('S', 'South'), ('E', 'East'), ('W', 'West');
INSERT INTO areas.Customers SELECT i, ['N', 'S', 'E'][1 + i % 3], 'C' || i FROM range(1, 13) t(i);
INSERT INTO areas.Meters SELECT i, 1 + i % 12 FROM range(1, 25) t(i);
INSERT INTO areas.Readings SELECT i, 1 + i % 24, ['Customer', 'Estimated', 'Smart'][1 + i % 3],
  i * 0.5 FROM range(1, 200) t(i);
"""


@pytest.mark.parametrize("question", [
    "which region has no customers",
    "regions with no customers",
])
def test_a_word_naming_a_table_is_not_read_as_a_far_value(
        tmp_path_factory: pytest.TempPathFactory, question: str) -> None:
    # 'customers' is the customers table, not readings.source = 'Customer' three joins away
    db = make_db(tmp_path_factory, AREAS_SQL)
    answer = ask_db(db, question)

    if answer.answered:
        assert answer.rows == [["West"]], (answer.sql, answer.rows)
    else:
        assert answer.sql is None


def test_a_follow_up_without_an_earlier_question_says_so(shop_db: Path) -> None:
    answer = ask_db(shop_db, "and by country?")

    assert not answer.answered
    assert "follow-up" in answer.answer
