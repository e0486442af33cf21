"""Money is added up from a column of money: "total" or "value" beside another quantity's
word (total_minutes_in_store, TotalQty) is no money, so "which product brings in the most
money" declines there rather than summing minutes; a real money column still answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA shop;
CREATE TABLE shop.products (id BIGINT, name VARCHAR);
CREATE TABLE shop.purchases (id BIGINT, product_id BIGINT, total_minutes_in_store INTEGER);
INSERT INTO shop.products SELECT i, 'P' || i FROM range(1, 6) t(i);
INSERT INTO shop.purchases SELECT i, 1 + i % 5, 100 - i FROM range(1, 50) t(i);
"""

PASCAL = """
CREATE SCHEMA Store;
CREATE TABLE Store.Products (ProductId BIGINT, ProductName VARCHAR);
CREATE TABLE Store.Sales (SaleId BIGINT, ProductId BIGINT, TotalQty INTEGER,
                          TotalAmount DOUBLE);
INSERT INTO Store.Products SELECT i, 'P' || i FROM range(1, 6) t(i);
INSERT INTO Store.Sales SELECT i, 1 + i % 5, 50 - i, i * 1.5 FROM range(1, 40) t(i);
"""


@pytest.fixture(scope="module")
def snake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE)


@pytest.fixture(scope="module")
def pascal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, PASCAL)


def test_minutes_are_no_money(snake: Path) -> None:
    answer = ask_db(snake, "Which product brings in the most money?")
    assert not answer.answered, answer.sql


def test_the_money_column_beside_a_quantity_is_summed(pascal: Path) -> None:
    assert_answers_like(pascal, "Which product brings in the most money?",
                        "SELECT p.ProductName, SUM(s.TotalAmount) FROM Store.Sales s "
                        "JOIN Store.Products p USING (ProductId) GROUP BY 1 "
                        "ORDER BY 2 DESC LIMIT 1")
