"""Date ranges open at one end: "before March 2024" stops before March 1st, "after March
2024" starts on April 1st, "since June 2024" starts on June 1st, "through May 15, 2024"
includes that day. Each answer is checked against a hand-written query on DuckDB; words
that leave the month's own side unclear ("until March 2024") are declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.ranges import read
from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

# One order a day over 2023-2024, on a TIMESTAMP column (so day bounds are tested on DATE()).
SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id BIGINT, amount DOUBLE, created_at TIMESTAMP);
INSERT INTO shop.orders SELECT i, 10 + i % 7, TIMESTAMP '2023-01-01 18:45' + INTERVAL (i) DAY
  FROM range(0, 731) t(i);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize(("question", "where"), [
    ("How many orders were placed before March 2024?", "created_at < DATE '2024-03-01'"),
    ("How many orders were placed after March 2024?", "created_at >= DATE '2024-04-01'"),
    ("How many orders were placed since June 2024?", "created_at >= DATE '2024-06-01'"),
    ("How many orders were placed in or after March 2024?", "created_at >= DATE '2024-03-01'"),
    ("How many orders were placed before 15 March 2024?", "created_at < DATE '2024-03-15'"),
    ("How many orders were placed after March 15, 2024?", "created_at >= DATE '2024-03-16'"),
    ("How many orders were placed through May 15, 2024?", "created_at < DATE '2024-05-16'"),
    ("total amount of orders from February 2024 onwards", "created_at >= DATE '2024-02-01'"),
])
def test_an_open_range_bounds_the_time_column_on_the_right_side(db: Path, question: str,
                                                                where: str) -> None:
    measure = "SUM(amount)" if "amount" in question else "COUNT(*)"
    assert_answers_like(db, question, f"SELECT {measure} FROM shop.orders WHERE {where}")


def test_a_month_is_not_read_as_in_that_month_when_a_bound_word_precedes_it(db: Path) -> None:
    answer = ask_db(db, "How many orders were placed before March 2024?")
    assert answer.rows == [[425]]  # 365 days of 2023 and 60 of 2024, not March's 31


def test_a_year_alone_stays_a_year_comparison() -> None:
    assert read("How many orders were placed before 2024?") is None
    assert read("orders from March 2024") is None  # in March, not from March on


@pytest.mark.parametrize("question", [
    "How many orders were placed until March 2024?",
    "How many orders were placed by March 2024?",
])
def test_a_bound_that_may_or_may_not_include_the_month_is_declined(db: Path,
                                                                   question: str) -> None:
    answer = ask_db(db, question)
    assert not answer.answered
    assert "March 2024" in answer.answer


def test_a_bound_without_a_year_is_declined() -> None:
    assert isinstance(read("How many orders were placed before March 15?"), str)
