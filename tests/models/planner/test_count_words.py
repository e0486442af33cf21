"""A count whose word names both the subject's rows and part of a key column ("how many
items" on order_items, which holds inventory_item_id) declines naming both readings,
end to end through the Agent on DuckDB; said in full, either reading answers."""

from __future__ import annotations

import pytest

from tests.models.planner.conftest import ask_db, make_db

ITEMS = """
CREATE SCHEMA shop;
CREATE TABLE shop.order_items (id BIGINT, inventory_item_id BIGINT, price DOUBLE);
INSERT INTO shop.order_items SELECT i, 1 + i % 3, i FROM range(1, 10) t(i);
"""


def test_how_many_items_declines_between_the_rows_and_a_key_named_in_part(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, ITEMS)
    a = ask_db(db, "How many items are there?")
    assert not a.answered and "inventory_item_id" in a.answer  # both readings named
    b = ask_db(db, "How many order items are there?")
    assert b.answered and b.rows == [[9]], b.answer  # the table named in full: its rows
    c = ask_db(db, "How many different inventory items are there?")
    assert c.answered and c.rows == [[3]], c.answer  # the key named in full: its values


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
