"""A unit at the end of a column's name (duration_minutes, UsageKwh, budget_musd) is not
part of what the column is called: "the average duration" finds duration_minutes, "in
minutes" after it says the column's own unit, and the unit alone ("total kWh") names the
one column carrying it. A unit the column does not carry ("in hours") stays unaccounted,
so the question is declined, never answered in another unit. Two naming styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.units import unit_of
from nl2sql.models.planner.words import name_words
from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE_SQL = """
CREATE SCHEMA care;
CREATE TABLE care.appointments (appointment_id BIGINT, kind VARCHAR, duration_minutes INTEGER,
    total_minutes INTEGER, fee_usd DECIMAL(8,2));
INSERT INTO care.appointments SELECT i, ['phone', 'office'][1 + i % 2], 10 + (i * 7) % 50,
    i, 20 + i FROM range(1, 41) t(i);
"""

PASCAL_SQL = """
CREATE SCHEMA grid;
CREATE TABLE grid.Meters (MeterId VARCHAR, FuelType VARCHAR);
CREATE TABLE grid.Readings (ReadingId INTEGER, MeterId VARCHAR, ReadingDate DATE,
    UsageKwh DECIMAL(10,1), ReadMinutes INTEGER);
INSERT INTO grid.Meters SELECT 'M' || i, ['Gas', 'Electricity'][1 + i % 2] FROM range(1, 9) t(i);
INSERT INTO grid.Readings SELECT i, 'M' || (1 + i % 8), DATE '2023-01-01' + INTERVAL (i * 9) DAY,
    100 + (i * 37) % 400, 5 + i % 20 FROM range(1, 121) t(i);
"""


@pytest.fixture(scope="module")
def care(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE_SQL)


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, PASCAL_SQL)


def test_a_name_s_words_leave_its_unit_out() -> None:
    assert name_words("duration_minutes") == ("duration",)
    assert name_words("ArrivalDelayMinutes") == ("arrival", "delay")
    assert name_words("budget_musd") == ("budget",)
    assert unit_of("UsageKwh") == "kwh" and unit_of("duration_minutes") == "minute"


def test_a_counting_word_keeps_its_unit() -> None:
    """total_minutes is not "total": that word alone names no quantity."""
    assert name_words("total_minutes") == ("total", "minute")
    assert unit_of("total_minutes") is None


@pytest.mark.parametrize("question", ["average appointment duration",
                                      "average duration of appointments in minutes"])
def test_the_quantity_is_found_without_its_unit(care: Path, question: str) -> None:
    assert_answers_like(care, question, "SELECT AVG(duration_minutes) FROM care.appointments")


def test_pascal_case_unit_suffix(grid: Path) -> None:
    assert_answers_like(grid, "median usage per reading for gas meters",
                        "SELECT MEDIAN(r.UsageKwh) FROM grid.Readings r JOIN grid.Meters m "
                        "ON r.MeterId = m.MeterId WHERE m.FuelType = 'Gas'")


def test_the_unit_alone_names_the_column_that_carries_it(grid: Path) -> None:
    assert_answers_like(grid, "total kWh in 2024",
                        "SELECT SUM(UsageKwh) FROM grid.Readings "
                        "WHERE EXTRACT(YEAR FROM ReadingDate) = 2024")


@pytest.mark.parametrize("db,question", [("care", "average appointment duration in hours"),
                                         ("grid", "average read time in seconds")])
def test_another_unit_is_declined(request: pytest.FixtureRequest, db: str,
                                  question: str) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert not answer.answered, answer.sql


def test_the_interpretation_shows_the_unit(care: Path) -> None:
    answer = ask_db(care, "average appointment duration")
    assert "duration (minutes)" in answer.answer, answer.answer


def test_a_unit_after_a_number_is_the_comparison_s_unit(grid: Path) -> None:
    """"more than 300 kWh" compares the column with 300; the unit is no second condition."""
    assert_answers_like(grid, "How many readings have usage above 300 kWh?",
                        "SELECT COUNT(*) FROM grid.Readings WHERE UsageKwh > 300")
