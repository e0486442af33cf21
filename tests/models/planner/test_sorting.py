"""Listings sorted by a column: "list products sorted by price", "list the names of
products ordered by price descending". The sort verb starts the sort ("products sorted"
is not one phrase, which once read 'products' as a value of another table's column), and
a listing of a table's rows is ordered by its own column named after it. Checked on
DuckDB against hand-written queries, order included."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, gold, make_db

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


ORDERS_SQL = """
CREATE SCHEMA crm;
CREATE TABLE crm.customers (id BIGINT, first_name VARCHAR, city VARCHAR);
INSERT INTO crm.customers VALUES (1, 'Ada', 'Oslo'), (2, 'Bo', 'Rome'), (3, 'Cy', 'Lima');
CREATE TABLE crm.orders (id BIGINT, customer_id BIGINT, status VARCHAR, amount DOUBLE);
INSERT INTO crm.orders SELECT i, 1 + i % 3,
  CASE WHEN i % 6 = 0 THEN 'Open' WHEN i % 6 < 3 THEN 'Paid' ELSE 'Sent' END, i
  FROM range(1, 40) t(i);
"""


@pytest.fixture(scope="module")
def crm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, ORDERS_SQL)


@pytest.mark.parametrize(("question", "query"), [
    ("number of orders by status, highest first",
     "SELECT status, COUNT(*) AS n FROM crm.orders GROUP BY status ORDER BY n DESC"),
    ("number of orders by status, lowest first",
     "SELECT status, COUNT(*) AS n FROM crm.orders GROUP BY status ORDER BY n ASC"),
    ("total amount of orders by status, smallest first",
     "SELECT status, SUM(amount) AS t FROM crm.orders GROUP BY status ORDER BY t ASC"),
])
def test_highest_or_lowest_first_orders_groups_by_their_measure(
        crm: Path, question: str, query: str) -> None:
    answer = ask_db(crm, question)
    assert answer.answered, answer.answer
    assert "first_name" not in (answer.sql or "")  # "first" is no column here
    want = gold(crm, query)
    assert [r[-1] for r in answer.rows] == [r[-1] for r in want], answer.sql


def test_highest_first_without_a_value_to_order_by_is_declined(crm: Path) -> None:
    answer = ask_db(crm, "number of orders, highest first")
    assert not answer.answered
    assert "highest first" in answer.answer


CAMEL_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.Items (ItemId BIGINT, ItemName VARCHAR, UnitPrice DOUBLE);
INSERT INTO shop.Items VALUES (1, 'Kettle', 30.0), (2, 'Blender', 55.0), (3, 'Toaster', 25.0);
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CAMEL_SQL)


@pytest.mark.parametrize("question", [
    "What are the first names of customers in reverse alphabetical order?",
    "List the customer first names in reversed lexicographical order.",
    "list the first_name of customers in reverse lexicographical order",
])
def test_reverse_alphabetical_order_sorts_descending(crm: Path, question: str) -> None:
    answer = ask_db(crm, question)
    assert answer.answered, answer.answer
    assert [r[0] for r in answer.rows] == ["Cy", "Bo", "Ada"], answer.sql


@pytest.mark.parametrize(("question", "names"), [
    ("What are the item names of all items in reverse alphabetical order?",
     ["Toaster", "Kettle", "Blender"]),
    ("List the item names in alphabetical order.", ["Blender", "Kettle", "Toaster"]),
])
def test_reverse_alphabetical_order_on_camel_case_names(
        shop: Path, question: str, names: list[str]) -> None:
    answer = ask_db(shop, question)
    assert answer.answered, answer.answer
    assert [r[0] for r in answer.rows] == names, answer.sql


@pytest.mark.parametrize(("fixture", "question", "first"), [
    ("db", "List the name and price of products sorted by price.", "Beanie"),
    ("crm", "List the first_name of customers in alphabetical order.", "Ada"),
    ("crm", "What is the first_name and city of every customer ordered by city?", "Cy"),
])
def test_a_column_written_as_its_snake_case_name_reads_as_its_words(
        request: pytest.FixtureRequest, fixture: str, question: str, first: str) -> None:
    answer = ask_db(request.getfixturevalue(fixture), question)
    assert answer.answered, answer.answer
    assert answer.rows[0][0] == first, answer.sql
