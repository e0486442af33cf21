"""Listings sorted by a column: "list products sorted by price", "list the names of
products ordered by price descending". The sort verb starts the sort ("products sorted"
is not one phrase, which once read 'products' as a value of another table's column), and
a listing of a table's rows is ordered by its own column named after it. Checked on
DuckDB against hand-written queries, order included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

SQL = """
CREATE SCHEMA store;
CREATE TABLE store.products (id BIGINT, name VARCHAR, category VARCHAR, price DOUBLE);
INSERT INTO store.products VALUES (1, 'Anorak', 'Coats', 120.0), (2, 'Beanie', 'Hats', 15.5),
  (3, 'Cardigan', 'Knitwear', 60.0), (4, 'Duffel', 'Coats', 150.0), (5, 'Fedora', 'Hats', 40.0);
CREATE TABLE store.events (id BIGINT, product_id BIGINT, event_type VARCHAR);
INSERT INTO store.events VALUES (1, 1, 'product'), (2, 2, 'cart'), (3, 4, 'product');
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize(("question", "names"), [
    ("list products sorted by price", ["Beanie", "Fedora", "Cardigan", "Anorak", "Duffel"]),
    ("list the names of products sorted by price",
     ["Beanie", "Fedora", "Cardigan", "Anorak", "Duffel"]),
    ("list products sorted by price in descending order",
     ["Duffel", "Anorak", "Cardigan", "Fedora", "Beanie"]),
    ("list products in the Coats category sorted by price", ["Anorak", "Duffel"]),
])
def test_a_listing_is_ordered_by_the_column_named_after_the_sort_verb(
        db: Path, question: str, names: list[str]) -> None:
    answer = ask_db(db, question)
    assert answer.answered, answer.answer
    assert [r[0] for r in answer.rows] == names, answer.sql
    assert "events" not in (answer.sql or "")  # 'products' is no event_type value here


def test_a_sorted_listing_of_labels_only_names_each_row(db: Path) -> None:
    answer = ask_db(db, "list the names of products sorted by name")
    assert answer.answered, answer.answer
    assert "Anorak; Beanie" in answer.answer
