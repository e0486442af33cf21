"""A quarter named as "Q3 2025" filters its three months, end to end through the Agent on
DuckDB; a lone "q3" that is not a quarter (lower case, no year after it) stays a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, gold, make_db

SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.Orders (OrderId BIGINT, PlacedAt TIMESTAMP, Amount DOUBLE);
INSERT INTO shop.Orders SELECT i, TIMESTAMP '2024-01-01' + INTERVAL (i * 5) DAY, i
  FROM range(1, 150) t(i);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize("question, months", [
    ("How many orders were placed in Q3 2024?", (7, 9)),
    ("total amount of orders in Q1 2025", (1, 3)),
])
def test_a_quarter_filters_its_months(db: Path, question: str, months: tuple[int, int]) -> None:
    a = ask_db(db, question)
    assert a.answered, a.answer
    year = 2024 if "2024" in question else 2025
    measure = "COUNT(*)" if "many" in question else "SUM(Amount)"
    expected = gold(db, f"SELECT {measure} FROM shop.Orders WHERE year(PlacedAt) = {year} "
                        f"AND month(PlacedAt) BETWEEN {months[0]} AND {months[1]}")
    assert a.rows == expected


def test_q_without_a_year_is_not_read_as_a_quarter(db: Path) -> None:
    assert not ask_db(db, "How many orders are in q3?").answered
