"""A participle negated by "un-" whose verb is the event of a date column other than the
row's own date ("unsold crates", "unshipped parcels") keeps the rows whose event date is
empty (unset.py), end to end through the Agent on DuckDB, on two naming styles; the
interpretation shows the empty column, and a word with no such column is left unread."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, gold, make_db

DEPOT = """
CREATE SCHEMA depot;
CREATE TABLE depot.crates (id BIGINT, cost DOUBLE, site VARCHAR, created_at TIMESTAMP,
                           sold_at TIMESTAMP);
INSERT INTO depot.crates SELECT i, i % 9, ['North', 'South'][1 + i % 2],
  TIMESTAMP '2023-06-01' + INTERVAL (i) DAY,
  CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01' + INTERVAL (i) DAY END
  FROM range(1, 40) t(i);
"""
POST = """
CREATE SCHEMA post;
CREATE TABLE post.Parcels (ParcelId BIGINT, WeightKg DOUBLE, CreatedDate DATE,
                           ShippedDate DATE);
INSERT INTO post.Parcels SELECT i, i * 1.5, DATE '2023-12-01' + INTERVAL (i) DAY,
  CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2024-01-01' + INTERVAL (i) DAY END
  FROM range(1, 30) t(i);
"""


@pytest.fixture(scope="module")
def depot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, DEPOT)


def test_unsold_crates_are_those_with_no_sale_date(depot: Path) -> None:
    a = ask_db(depot, "How many unsold crates are there?")
    want = gold(depot, "SELECT COUNT(*) FROM depot.crates WHERE sold_at IS NULL")
    assert a.answered and a.rows == want and want != [[0]], a.answer
    assert a.interpretation is not None
    assert any("sold" in f and "not set" in f for f in a.interpretation.filters)
    b = ask_db(depot, "total cost of unsold crates by site")
    want = gold(depot, "SELECT site, SUM(cost) FROM depot.crates WHERE sold_at IS NULL "
                       "GROUP BY site")
    assert b.answered and sorted(b.rows) == sorted(want), b.answer


def test_unshipped_parcels_are_those_with_no_ship_date(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, POST)
    a = ask_db(db, "total weight of unshipped parcels")
    want = gold(db, "SELECT SUM(WeightKg) FROM post.Parcels WHERE ShippedDate IS NULL")
    assert a.answered and a.rows == want and want != [[None]], a.answer
    b = ask_db(db, "How many parcels are unshipped?")
    assert b.answered and b.rows == gold(
        db, "SELECT COUNT(*) FROM post.Parcels WHERE ShippedDate IS NULL"), b.answer


def test_an_un_word_with_no_event_column_is_not_rewritten(depot: Path) -> None:
    a = ask_db(depot, "How many unmarked crates are there?")
    assert not a.answered and "unmarked" in a.answer
