"""A word naming the subject's own rows that also names part of a key column ("items" on
order_items, which holds inventory_item_id) reads as the rows, end to end through the
Agent on DuckDB, and the interpretation says so; the key's values are counted only when
said in full. A ranking that would use the largest value of a column instead of a count
("the most returned items") still declines."""

from __future__ import annotations

import pytest

from tests.models.planner.conftest import ask_db, gold, make_db

ITEMS = """
CREATE SCHEMA shop;
CREATE TABLE shop.order_items (id BIGINT, inventory_item_id BIGINT, price DOUBLE);
INSERT INTO shop.order_items SELECT i, 1 + i % 3, i FROM range(1, 10) t(i);
"""
# another naming style: the rows are "units", the key a stock unit; a status and a date
UNITS = """
CREATE SCHEMA store;
CREATE TABLE store.brands (id BIGINT, name VARCHAR);
CREATE TABLE store.shipment_units (id BIGINT, stock_unit_id BIGINT, brand_id BIGINT,
                                   status VARCHAR, weight DOUBLE, returned_at TIMESTAMP);
INSERT INTO store.brands VALUES (1, 'Acme'), (2, 'Bolt');
INSERT INTO store.shipment_units SELECT i, 1 + i % 4, 1 + i % 2,
  CASE WHEN i % 3 = 0 THEN 'Returned' ELSE 'Delivered' END, i * 1.5,
  CASE WHEN i % 3 = 0 THEN TIMESTAMP '2024-01-01' + INTERVAL (i) DAY END
  FROM range(1, 13) t(i);
"""


def test_how_many_items_counts_the_rows_of_the_item_table(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, ITEMS)
    a = ask_db(db, "How many items are there?")
    assert a.answered and a.rows == [[9]], a.answer  # its rows, not the 3 inventory items
    assert a.interpretation is not None
    assert a.interpretation.measure == "the number of order items"
    assert "COUNT(*)" in a.interpretation.definition
    b = ask_db(db, "How many order items are there?")
    assert b.answered and b.rows == [[9]], b.answer  # the table named in full: its rows
    c = ask_db(db, "How many different inventory items are there?")
    assert c.answered and c.rows == [[3]], c.answer  # the key named in full: its values


def test_units_with_a_status_are_the_rows_with_that_status(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, UNITS)
    a = ask_db(db, "How many returned units are there?")
    want = gold(db, "SELECT COUNT(*) FROM store.shipment_units WHERE status = 'Returned'")
    assert a.answered and a.rows == want and want != [[0]], a.answer
    assert a.interpretation is not None and "shipment units" in a.interpretation.measure
    b = ask_db(db, "average weight of returned units")
    assert b.answered and b.rows == gold(
        db, "SELECT AVG(weight) FROM store.shipment_units WHERE status = 'Returned'"), b.sql


def test_the_most_returned_units_is_no_latest_return_date(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, UNITS)
    a = ask_db(db, "Which brand had the most returned units?")
    # a count of returned units per brand, or a decline; never the latest returned_at
    assert not a.answered or "MAX" not in (a.sql or "").upper(), a.sql


def test_in_total_inside_a_count_is_the_count_not_a_sum(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, ITEMS)
    a = ask_db(db, "How many order items in total are listed?")
    assert a.answered and a.rows == [[9]], a.answer


def test_in_total_without_a_count_word_is_no_count_per_value(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, ITEMS)
    a = ask_db(db, "What is the price in total?")  # adds up; a count per price does not
    assert not a.answered or a.rows == [[45]], a.sql


SHELF = """
CREATE SCHEMA shelf;
CREATE TABLE shelf.book_copies (id BIGINT, copy_id BIGINT, genre VARCHAR, pages BIGINT);
INSERT INTO shelf.book_copies SELECT i, 1000 - i, ['Poetry', 'Crime'][1 + (i % 5 = 0)::INT],
  100 + i FROM range(1, 30) t(i);
"""


@pytest.mark.parametrize(("schema", "question"), [
    (ITEMS, "Which price has the most items?"),
    (SHELF, "Which genre has the most copies?"),
    (SHELF, "Which genre has the fewest copies?"),
])
def test_the_most_rows_never_ranks_by_the_largest_key(
        tmp_path_factory: pytest.TempPathFactory, schema: str, question: str) -> None:
    db = make_db(tmp_path_factory, schema)
    a = ask_db(db, question)
    # a count per group, or a decline; a key's largest value is no amount
    assert not a.answered or ("MAX(" not in (a.sql or "") and "MIN(" not in (a.sql or "")), a.sql
