"""Half years in a period comparison ("the first half of 2025 with the first half of
2024", "H1 2024 vs H1 2023", "growth from H1 2023 to H1 2024") are their two quarters,
end to end through the Agent on DuckDB, on two naming styles; halves compared with other
periods, or the two halves of one year, decline."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.periods import read
from tests.models.planner.conftest import ask_db, gold, make_db

SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id BIGINT, amount DOUBLE, created_at TIMESTAMP);
INSERT INTO shop.orders SELECT i, i % 40, TIMESTAMP '2023-01-01' + INTERVAL (i * 2) DAY
  FROM range(1, 600) t(i);
"""
HOTEL = """
CREATE SCHEMA hotel;
CREATE TABLE hotel.Bookings (BookingId BIGINT, Nights BIGINT, BookingDate DATE);
INSERT INTO hotel.Bookings SELECT i, 1 + i % 6, DATE '2022-01-01' + INTERVAL (i * 3) DAY
  FROM range(1, 500) t(i);
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SHOP)


@pytest.fixture(scope="module")
def hotel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, HOTEL)


def test_read_takes_halves_as_periods() -> None:
    r = read("Compare the total of orders in the first half of 2025 with the first half of 2024")
    assert not isinstance(r, str) and r is not None
    assert [p.label for p in r.spec.periods] == ["H1 2024", "H1 2025"]


def test_the_same_half_of_two_years(shop: Path, hotel: Path) -> None:
    a = ask_db(shop, "Compare the total amount of orders in the first half of 2024 with the "
                     "first half of 2023")
    want = gold(shop, "SELECT EXTRACT(YEAR FROM created_at) y, SUM(amount) FROM shop.orders "
                      "WHERE EXTRACT(MONTH FROM created_at) <= 6 GROUP BY y "
                      "HAVING y IN (2023, 2024) ORDER BY y")
    assert a.answered and [r[:2] for r in a.rows] == want, a.answer
    assert a.interpretation is not None and "H1 2023" in a.interpretation.time_window
    b = ask_db(hotel, "number of bookings in H2 2022 vs H2 2023")
    want = gold(hotel, "SELECT EXTRACT(YEAR FROM BookingDate) y, COUNT(*) FROM hotel.Bookings "
                       "WHERE EXTRACT(MONTH FROM BookingDate) >= 7 GROUP BY y "
                       "HAVING y IN (2022, 2023) ORDER BY y")
    assert b.answered and [r[:2] for r in b.rows] == want, b.answer


def test_halves_against_other_periods_decline(shop: Path, hotel: Path) -> None:
    a = ask_db(shop, "total amount of orders in the first half of 2024 vs the second half of 2024")
    assert not a.answered and "half" in a.answer
    b = ask_db(hotel, "number of bookings in Q1 2023 vs H1 2022")
    assert not b.answered and "half" in b.answer
