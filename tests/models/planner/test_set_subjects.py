"""A set condition after the subject's own modifier ("users who signed up in 2025 have
never placed an order", "products with a price over 150 that were never ordered"), end to
end through the Agent on DuckDB in three naming styles: the modifier filters the subject,
the condition its related rows (a year on each side: the first the subject's when its
modifier names its date), and a date that could be either's is declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id BIGINT, name VARCHAR, country VARCHAR, signup_date DATE);
CREATE TABLE shop.orders (id BIGINT, customer_id BIGINT, amount DOUBLE, created_at TIMESTAMP);
CREATE TABLE shop.products (id BIGINT, name VARCHAR, price DOUBLE);
CREATE TABLE shop.order_items (id BIGINT, order_id BIGINT, product_id BIGINT);
INSERT INTO shop.customers SELECT i, 'C' || i, ['Spain', 'Chile', 'Peru'][1 + i % 3],
  DATE '2022-01-01' + INTERVAL (i * 40) DAY FROM range(1, 21) t(i);
INSERT INTO shop.orders SELECT i, 1 + i % 13, i * 2.5,
  TIMESTAMP '2022-01-01' + INTERVAL (i * 23) DAY FROM range(1, 41) t(i);
INSERT INTO shop.products SELECT i, 'P' || i, i * 3.0 FROM range(1, 16) t(i);
INSERT INTO shop.order_items SELECT i, 1 + i % 40, 1 + i % 9 FROM range(1, 61) t(i);
"""

PASCAL = """
CREATE SCHEMA kennel;
CREATE TABLE kennel.Owners (OwnerId BIGINT, FirstName VARCHAR, State VARCHAR);
CREATE TABLE kennel.Dogs (DogId BIGINT, OwnerId BIGINT, Name VARCHAR, Weight DOUBLE);
CREATE TABLE kennel.Treatments (TreatmentId BIGINT, DogId BIGINT, Cost DOUBLE);
INSERT INTO kennel.Owners SELECT i, 'O' || i, ['Texas', 'Ohio'][1 + i % 2] FROM range(1, 13) t(i);
INSERT INTO kennel.Dogs SELECT i, 1 + i % 7, 'D' || i, 5.0 + i FROM range(1, 21) t(i);
INSERT INTO kennel.Treatments SELECT i, 1 + i % 9, 10.0 * i FROM range(1, 25) t(i);
"""

TERSE = """
CREATE SCHEMA ops;
CREATE TABLE ops.cust (cust_id BIGINT, nm VARCHAR, join_dt DATE);
CREATE TABLE ops.txn (txn_id BIGINT, cust_id BIGINT, amt DOUBLE, txn_dt DATE);
INSERT INTO ops.cust SELECT i, 'K' || i, DATE '2022-06-01' + INTERVAL (i * 50) DAY
  FROM range(1, 16) t(i);
INSERT INTO ops.txn SELECT i, 1 + i % 9, i * 1.0, DATE '2023-01-01' + INTERVAL (i * 17) DAY
  FROM range(1, 41) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("shop", SNAKE), ("kennel", PASCAL), ("ops", TERSE))}


@pytest.mark.parametrize(("db", "question", "query"), [
    ("shop", "How many customers who signed up in 2023 have never placed an order?",
     "SELECT COUNT(*) FROM shop.customers WHERE YEAR(signup_date) = 2023 "
     "AND id NOT IN (SELECT customer_id FROM shop.orders)"),
    ("shop", "How many customers who joined in 2022 placed more than 2 orders?",
     "SELECT COUNT(*) FROM shop.customers c WHERE YEAR(signup_date) = 2022 "
     "AND (SELECT COUNT(*) FROM shop.orders o WHERE o.customer_id = c.id) > 2"),
    ("shop", "Which products with a price over 20 have never been ordered?",
     "SELECT name FROM shop.products WHERE price > 20 "
     "AND id NOT IN (SELECT product_id FROM shop.order_items)"),
    ("shop", "How many customers from Spain placed at least one order in 2023?",  # orders' year
     "SELECT COUNT(*) FROM shop.customers WHERE country = 'Spain' AND id IN "
     "(SELECT customer_id FROM shop.orders WHERE YEAR(created_at) = 2023)"),
    ("kennel", "How many dogs with a weight over 12 have not gone through any treatment?",
     "SELECT COUNT(*) FROM kennel.Dogs WHERE Weight > 12 "
     "AND DogId NOT IN (SELECT DogId FROM kennel.Treatments)"),
    ("kennel", "Which owners from Texas have no dogs?",
     "SELECT FirstName FROM kennel.Owners WHERE State = 'Texas' "
     "AND OwnerId NOT IN (SELECT OwnerId FROM kennel.Dogs)"),
    ("kennel", "How many owners in Ohio have at least one dog?",
     "SELECT COUNT(*) FROM kennel.Owners WHERE State = 'Ohio' "
     "AND OwnerId IN (SELECT OwnerId FROM kennel.Dogs)"),
    ("ops", "How many customers who joined in 2023 have no transactions?",
     "SELECT COUNT(*) FROM ops.cust WHERE YEAR(join_dt) = 2023 "
     "AND cust_id NOT IN (SELECT cust_id FROM ops.txn)"),
    # a year on each side: the sign-up year the customers', the other their orders'
    ("shop", "Which customers who signed up in 2023 have no orders in 2024?",
     "SELECT name FROM shop.customers WHERE YEAR(signup_date) = 2023 AND id NOT IN "
     "(SELECT customer_id FROM shop.orders WHERE YEAR(created_at) = 2024)"),
    ("ops", "How many customers who joined in 2023 have no transactions in 2024?",
     "SELECT COUNT(*) FROM ops.cust WHERE YEAR(join_dt) = 2023 AND cust_id NOT IN "
     "(SELECT cust_id FROM ops.txn WHERE YEAR(txn_dt) = 2024)"),
    # "nobody" denies as "never" does
    ("shop", "Which products has nobody ever ordered?",
     "SELECT name FROM shop.products WHERE id NOT IN (SELECT product_id FROM shop.order_items)"),
    ("kennel", "Which dogs has nobody treated?",
     "SELECT Name FROM kennel.Dogs WHERE DogId NOT IN (SELECT DogId FROM kennel.Treatments)"),
])
def test_the_modifier_filters_the_subject_and_the_condition_its_related_rows(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)


def test_the_interpretation_names_both_the_modifier_and_the_condition(
        dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["shop"], "Which products with a price over 20 have never been ordered?")

    assert answer.interpretation is not None
    said = " ".join(answer.interpretation.filters)
    assert "price above 20" in said
    assert "no order items" in said


@pytest.mark.parametrize(("db", "question"), [
    # whose year? the customers' sign-up or their orders': no date column is named
    ("shop", "How many customers in 2023 have never placed an order?"),
    # a year on each side, the first not tied to a date column of the subject
    ("shop", "How many customers in 2022 placed no orders in 2023?"),
    # a verb of the related rows before the condition: its date is theirs, not the subject's
    ("ops", "How many customers who bought in 2023 have no transactions?"),
])
def test_a_date_that_could_be_either_tables_is_declined(
        dbs: dict[str, Path], db: str, question: str) -> None:
    answer = ask_db(dbs[db], question)

    assert not answer.answered, answer.sql
    assert answer.sql is None
