"""A verb that names both a status value and the date the event happened, followed by a
date ("orders shipped in 2024", "delivered in November"), reads as that date column: the
year of shipped_at, not the status the order has now and the year it was created in.
Without a date the status reading stays ("how many orders were shipped")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA shop;
CREATE TABLE shop.orders (order_id BIGINT, status VARCHAR, created_at TIMESTAMP,
                          shipped_at TIMESTAMP, returned_at TIMESTAMP);
INSERT INTO shop.orders SELECT i,
  CASE i % 3 WHEN 0 THEN 'Shipped' WHEN 1 THEN 'Returned' ELSE 'Processing' END,
  TIMESTAMP '2023-10-01' + INTERVAL (i * 5) DAY,
  CASE WHEN i % 3 < 2 THEN TIMESTAMP '2023-10-01' + INTERVAL (i * 5 + 40) DAY END,
  CASE WHEN i % 3 = 1 THEN TIMESTAMP '2023-10-01' + INTERVAL (i * 5 + 70) DAY END
  FROM range(1, 121) t(i);
"""

PASCAL = """
CREATE SCHEMA Logistics;
CREATE TABLE Logistics.Parcels (ParcelId BIGINT, ParcelStatus VARCHAR, CreatedDate DATE,
                                DeliveredDate DATE);
INSERT INTO Logistics.Parcels SELECT i,
  CASE WHEN i % 4 = 0 THEN 'In transit' WHEN i % 4 = 1 THEN 'Lost' ELSE 'Delivered' END,
  DATE '2023-11-01' + INTERVAL (i * 3) DAY,
  CASE WHEN i % 4 >= 1 THEN DATE '2023-11-01' + INTERVAL (i * 3 + 45) DAY END
  FROM range(1, 161) t(i);
"""


@pytest.fixture(scope="module")
def snake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE)


@pytest.fixture(scope="module")
def pascal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, PASCAL)


@pytest.mark.parametrize(("db", "question", "query"), [
    ("snake", "How many orders were shipped in 2024?",
     "SELECT COUNT(*) FROM shop.orders WHERE EXTRACT(YEAR FROM shipped_at) = 2024"),
    ("snake", "How many orders were returned in March 2024?",
     "SELECT COUNT(*) FROM shop.orders WHERE returned_at >= '2024-03-01' "
     "AND returned_at < '2024-04-01'"),
    ("pascal", "How many parcels were delivered in 2024?",
     "SELECT COUNT(*) FROM Logistics.Parcels WHERE EXTRACT(YEAR FROM DeliveredDate) = 2024"),
])
def test_a_dated_event_verb_reads_as_its_date_column(request: pytest.FixtureRequest, db: str,
                                                     question: str, query: str) -> None:
    assert_answers_like(request.getfixturevalue(db), question, query)


@pytest.mark.parametrize(("db", "question", "query"), [
    ("snake", "How many orders were shipped?",
     "SELECT COUNT(*) FROM shop.orders WHERE status = 'Shipped'"),
    ("pascal", "How many parcels were delivered?",
     "SELECT COUNT(*) FROM Logistics.Parcels WHERE ParcelStatus = 'Delivered'"),
])
def test_without_a_date_the_verb_is_the_status(request: pytest.FixtureRequest, db: str,
                                               question: str, query: str) -> None:
    path = request.getfixturevalue(db)
    assert_answers_like(path, question, query)
    assert "status" in (ask_db(path, question).sql or "").lower()
