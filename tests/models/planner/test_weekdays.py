""""Day of the week" and "weekday" group by the day's number in the week (BigQuery's
numbering, 1 = Sunday, said in the interpretation), never by the date; "which day of the
week has the most ..." is one row."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA shop;
CREATE TABLE shop.orders (order_id BIGINT, amount DOUBLE, created_at TIMESTAMP);
INSERT INTO shop.orders SELECT i, 10 + i % 7, TIMESTAMP '2024-01-01 08:00' + INTERVAL (i * 29) HOUR
  + INTERVAL (CASE WHEN i % 5 = 0 THEN 24 ELSE 0 END) HOUR
  FROM range(1, 400) t(i);
"""

PASCAL = """
CREATE SCHEMA Gym;
CREATE TABLE Gym.Visits (VisitId BIGINT, MinutesSpent INTEGER, VisitDate DATE);
INSERT INTO Gym.Visits SELECT i, 30 + i % 40, DATE '2024-02-01' + INTERVAL (i * 3 + i % 4) DAY
  FROM range(1, 200) t(i);
"""


@pytest.fixture(scope="module")
def snake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE)


@pytest.fixture(scope="module")
def pascal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, PASCAL)


@pytest.mark.parametrize(("db", "question", "query"), [
    ("snake", "How many orders were placed on each day of the week?",
     "SELECT DAYOFWEEK(created_at) + 1, COUNT(*) FROM shop.orders GROUP BY 1"),
    ("snake", "Total amount by day of week",
     "SELECT DAYOFWEEK(created_at) + 1, SUM(amount) FROM shop.orders GROUP BY 1"),
    ("pascal", "Number of visits per weekday",
     "SELECT DAYOFWEEK(VisitDate) + 1, COUNT(*) FROM Gym.Visits GROUP BY 1"),
    ("snake", "Which day of the week has the most orders?",
     "SELECT DAYOFWEEK(created_at) + 1, COUNT(*) FROM shop.orders GROUP BY 1 "
     "ORDER BY 2 DESC LIMIT 1"),
])
def test_days_of_the_week_are_grouped_by_their_number(request: pytest.FixtureRequest, db: str,
                                                      question: str, query: str) -> None:
    path = request.getfixturevalue(db)
    assert_answers_like(path, question, query)
    answer = ask_db(path, question)
    assert answer.interpretation is not None
    assert any("1 = Sunday" in g for g in answer.interpretation.grouping)
