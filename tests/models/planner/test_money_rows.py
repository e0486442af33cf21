"""Money a thing brings in is added up from the rows that record its sales, not from its
catalogue price, end to end through the Agent on DuckDB in three naming styles; where the
sales rows' money cannot be read as one column, the question is declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA pharm;
CREATE TABLE pharm.drugs (drug_id BIGINT, name VARCHAR, drug_class VARCHAR, unit_price DOUBLE);
CREATE TABLE pharm.sales (sale_id BIGINT, drug_id BIGINT, quantity INTEGER,
                          total_amount DOUBLE);
-- the cheapest class sells most: the sum of unit prices would pick another class
INSERT INTO pharm.drugs SELECT i, 'D' || i, ['Statin', 'Opioid', 'Antibiotic'][1 + i % 3],
  [5.0, 90.0, 40.0][1 + i % 3] FROM range(1, 13) t(i);
INSERT INTO pharm.sales SELECT i, [3, 6, 9, 12, 1][1 + i % 5], 2, 10.0 + i
  FROM range(1, 60) t(i);
"""

ITEMS = """
CREATE SCHEMA shop;
CREATE TABLE shop.products (id BIGINT, name VARCHAR, category VARCHAR, retail_price DOUBLE);
CREATE TABLE shop.order_items (id BIGINT, product_id BIGINT, sale_price DOUBLE);
INSERT INTO shop.products SELECT i, 'P' || i, ['Jeans', 'Socks'][1 + i % 2],
  [8.0, 60.0][1 + i % 2] FROM range(1, 11) t(i);
INSERT INTO shop.order_items SELECT i, [2, 4, 6, 1][1 + i % 4], 7.5 + i % 3
  FROM range(1, 50) t(i);
"""

PASCAL = """
CREATE SCHEMA store;
CREATE TABLE store.Products (ProductId BIGINT, Name VARCHAR, Category VARCHAR,
                             UnitPrice DOUBLE);
CREATE TABLE store.OrderLines (LineId BIGINT, ProductId BIGINT, Quantity INTEGER,
                               UnitPrice DOUBLE);
INSERT INTO store.Products SELECT i, 'P' || i, ['Toys', 'Books'][1 + i % 2], i * 2.0
  FROM range(1, 9) t(i);
INSERT INTO store.OrderLines SELECT i, 1 + i % 8, 1 + i % 3, (1 + i % 8) * 2.0
  FROM range(1, 30) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("pharm", SNAKE), ("shop", ITEMS), ("store", PASCAL))}


@pytest.mark.parametrize(("db", "question", "query"), [
    ("pharm", "Which drug class brings in the most money?",
     "SELECT d.drug_class, SUM(s.total_amount) AS m FROM pharm.drugs d JOIN pharm.sales s "
     "ON s.drug_id = d.drug_id GROUP BY 1 ORDER BY m DESC LIMIT 1"),
    ("shop", "Which category brings in the most money?",  # one item a row: its sale price
     "SELECT p.category, SUM(oi.sale_price) AS m FROM shop.products p JOIN shop.order_items oi "
     "ON oi.product_id = p.id GROUP BY 1 ORDER BY m DESC LIMIT 1"),
])
def test_money_is_added_up_from_the_sales_rows(dbs: dict[str, Path], db: str, question: str,
                                               query: str) -> None:
    assert_answers_like(dbs[db], question, query)


@pytest.mark.parametrize(("db", "question", "reason"), [
    # lines with a quantity and a unit price: the money is their product, not read here
    ("store", "Which category brings in the most money?", "price per unit"),
    # nothing ranked: a single total of all drugs would answer "which drug"
    ("pharm", "Which drug earned the most?", "what is ranked"),
])
def test_money_it_cannot_read_is_declined(dbs: dict[str, Path], db: str, question: str,
                                          reason: str) -> None:
    answer = ask_db(dbs[db], question)

    assert not answer.answered, answer.sql
    assert reason in answer.answer


def test_a_price_is_still_ranked_as_a_price(dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["pharm"], "Which drug class has the highest unit price?")

    assert answer.answered, answer.answer
    assert answer.rows[0][0] == "Opioid"
