"""A value held both by a table's column and by a denormalised copy of it in another table
(``products.department`` and ``batches.product_department``, the copy's table listed
first): the words "the Garden department" name the original column, so the filter goes
there and the word "department" is accounted for instead of the planner declining."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.products (id BIGINT, name VARCHAR, department VARCHAR, price DOUBLE);
CREATE TABLE shop.batches (id BIGINT, product_id BIGINT, product_department VARCHAR,
                               cost DOUBLE);
CREATE TABLE shop.sales (id BIGINT, batch_id BIGINT, product_id BIGINT,
                         amount DOUBLE);
INSERT INTO shop.products SELECT i, 'P' || i, ['Garden', 'Kitchen', 'Toys'][1 + i % 3], i * 2.0
  FROM range(1, 31) t(i);
INSERT INTO shop.batches SELECT i, 1 + i % 30,
  ['Garden', 'Kitchen', 'Toys'][1 + (1 + i % 30) % 3], i * 1.0 FROM range(1, 121) t(i);
INSERT INTO shop.sales SELECT i, i, 1 + (i * 7) % 30, i * 1.5 FROM range(1, 81) t(i);
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SHOP)


@pytest.mark.parametrize(("question", "query"), [
    ("How many products are in the Garden department?",
     "SELECT COUNT(*) FROM shop.products WHERE department = 'Garden'"),
    ("total amount of sales from the Kitchen department",
     "SELECT SUM(s.amount) FROM shop.sales s JOIN shop.products p ON s.product_id = p.id "
     "WHERE p.department = 'Kitchen'"),
])
def test_the_named_column_holds_the_filter(shop: Path, question: str, query: str) -> None:
    assert_answers_like(shop, question, query)


def test_the_interpretation_names_the_original_column(shop: Path) -> None:
    answer = ask_db(shop, "total amount of sales from the Kitchen department")
    assert answer.answered, answer.answer
    assert "product_department" not in (answer.sql or ""), answer.sql
