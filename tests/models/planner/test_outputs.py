"""The columns a question lists in brackets at its end ("(product id and revenue)",
"(station name and trips)") are what the answer shows, end to end through the Agent on
DuckDB, on two naming styles; a listed item the plan cannot show declines."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.outputs import read
from tests.models.planner.conftest import ask_db, gold, make_db

SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id BIGINT, name VARCHAR, city VARCHAR);
CREATE TABLE shop.sales (id BIGINT, customer_id BIGINT, amount DOUBLE);
INSERT INTO shop.customers SELECT i, 'Customer ' || i, ['Oslo', 'Rome'][1 + i % 2]
  FROM range(1, 7) t(i);
INSERT INTO shop.sales SELECT i, 1 + i % 6, (i * 7) % 23 FROM range(1, 40) t(i);
"""
RIDES = """
CREATE SCHEMA bikes;
CREATE TABLE bikes.stations (station_id BIGINT, station_name VARCHAR);
CREATE TABLE bikes.trips (trip_id BIGINT, start_station_id BIGINT, minutes DOUBLE);
INSERT INTO bikes.stations SELECT i, 'Dock ' || i FROM range(1, 6) t(i);
INSERT INTO bikes.trips SELECT i, 1 + (i * i) % 5, i % 17 FROM range(1, 60) t(i);
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SHOP)


@pytest.fixture(scope="module")
def rides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, RIDES)


def test_read_takes_a_list_of_two_or_more_items_off_the_end() -> None:
    found = read("top 5 products by revenue in 2025 (product id and revenue)")
    assert found is not None and found.rest == "top 5 products by revenue in 2025"
    assert found.items == (("product", "id"), ("revenue",))
    said = read("trips per station (station name, and the number of trips)")
    assert said is not None and said.items == (("station", "name"), ("number", "trip"))
    assert read("Which owner owns the most dogs? List the owner id and last name.") is None
    assert read("the conversion rate (share of sessions with a purchase)") is None
    assert read("(name and revenue)") is None  # nothing before it


def test_a_listed_key_shows_the_groups_by_their_key(shop: Path) -> None:
    a = ask_db(shop, "top 3 customers by total amount (customer id and total amount)")
    want = gold(shop, "SELECT customer_id, SUM(amount) AS t FROM shop.sales "
                      "GROUP BY customer_id ORDER BY t DESC LIMIT 3")
    assert a.answered and a.rows == want, a.answer
    assert a.interpretation is not None and "customer id" in a.interpretation.grouping


def test_a_listed_label_keeps_the_groups_shown_by_their_name(shop: Path, rides: Path) -> None:
    a = ask_db(shop, "top 3 customers by total amount (name and total amount)")
    want = gold(shop, "SELECT c.name, SUM(s.amount) AS t FROM shop.sales s JOIN "
                      "shop.customers c ON s.customer_id = c.id GROUP BY c.name "
                      "ORDER BY t DESC LIMIT 3")
    assert a.answered and a.rows == want, a.answer
    b = ask_db(rides, "number of trips per start station (station name and trips)")
    want = gold(rides, "SELECT s.station_name, COUNT(*) FROM bikes.trips t JOIN "
                       "bikes.stations s ON t.start_station_id = s.station_id "
                       "GROUP BY s.station_name")
    assert b.answered and sorted(b.rows) == sorted(want), b.answer


def test_a_listed_column_the_answer_does_not_show_declines(shop: Path) -> None:
    a = ask_db(shop, "top 3 customers by total amount (customer id and city)")
    assert not a.answered and "city" in a.answer


def test_a_listed_measure_the_rest_does_not_ask_for_is_read_with_it(rides: Path) -> None:
    b = ask_db(rides, "number of trips per start station (station name and average minutes)")
    want = gold(rides, "SELECT s.station_name, COUNT(*), AVG(t.minutes) FROM bikes.trips t "
                       "JOIN bikes.stations s ON t.start_station_id = s.station_id "
                       "GROUP BY s.station_name")
    assert not b.answered or sorted(b.rows) == sorted(want), b.sql


def test_a_bracketed_list_of_values_is_read_with_the_rest(shop: Path, rides: Path) -> None:
    a = ask_db(shop, "number of customers by city (Oslo and Rome)")
    want = gold(shop, "SELECT city, COUNT(*) FROM shop.customers WHERE city IN ('Oslo', 'Rome') "
                      "GROUP BY city")
    assert a.answered and sorted(a.rows) == sorted(want), a.answer
    b = ask_db(rides, "number of trips per start station (Dock 1 and Dock 2)")
    want = gold(rides, "SELECT s.station_name, COUNT(*) FROM bikes.trips t JOIN bikes.stations s "
                       "ON t.start_station_id = s.station_id WHERE s.station_name IN "
                       "('Dock 1', 'Dock 2') GROUP BY s.station_name")
    assert not b.answered or sorted(b.rows) == sorted(want), b.sql  # never another reading
