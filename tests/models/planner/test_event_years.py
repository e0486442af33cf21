"""A year column named for an event (graduation_year, OpenedYear) is the one a verb of
that event before the year means: "students who graduated in 2023" filters
graduation_year, not the table's other year column, and "stadiums opened after 1990" has
its verb accounted for. A verb that names no year column of the table stays unaccounted
(declined, never read as another year). Snake case and PascalCase."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

CAMPUS_SQL = """
CREATE SCHEMA campus;
CREATE TABLE campus.learner (learner_id INTEGER, full_name VARCHAR, entry_year INTEGER,
    graduation_year INTEGER);
INSERT INTO campus.learner SELECT i, 'L' || i, 2015 + i % 6, 2019 + i % 6 FROM range(1, 61) t(i);
CREATE TABLE campus.dorm (dorm_id INTEGER, dorm_name VARCHAR, built_year INTEGER);
INSERT INTO campus.dorm SELECT i, 'D' || i, 1950 + i * 7 FROM range(1, 9) t(i);
"""

SPORT_SQL = """
CREATE SCHEMA sport;
CREATE TABLE sport.Arena (ArenaId INTEGER, Name VARCHAR, Capacity INTEGER, OpenedYear INTEGER);
INSERT INTO sport.Arena SELECT i, 'Arena ' || i, 1000 * i, 1960 + i * 5 FROM range(1, 13) t(i);
"""


@pytest.fixture(scope="module")
def campus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CAMPUS_SQL)


@pytest.fixture(scope="module")
def sport(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SPORT_SQL)


@pytest.mark.parametrize("question", ["how many learners graduated in 2023",
                                      "How many learners graduated before 2021?"])
def test_the_verb_picks_its_year_column(campus: Path, question: str) -> None:
    op = "=" if "in 2023" in question else "<"
    year = 2023 if "in 2023" in question else 2021
    assert_answers_like(campus, question,
                        f"SELECT COUNT(*) FROM campus.learner WHERE graduation_year {op} {year}")


@pytest.mark.parametrize("question", ["Which arenas opened after 1990?",
                                      "How many arenas were opened after 1990?"])
def test_the_verb_of_the_only_year_column_is_accounted_for(sport: Path, question: str) -> None:
    query = ("SELECT COUNT(*) FROM sport.Arena WHERE OpenedYear > 1990" if "many" in question
             else "SELECT Name FROM sport.Arena WHERE OpenedYear > 1990")
    assert_answers_like(sport, question, query)
    interpretation = ask_db(sport, question).interpretation
    assert interpretation is not None and "opened year after 1990" in interpretation.summary


def test_a_verb_no_year_column_names_is_declined(campus: Path) -> None:
    """dorm has only built_year: "renovated" is not when it was built."""
    answer = ask_db(campus, "How many dorms were renovated after 1990?")
    assert not answer.answered, answer.sql


def test_a_verb_after_than_describes_the_rows_compared_with(sport: Path) -> None:
    answer = ask_db(sport, "Which arenas hold more people than the smallest capacity of all "
                    "arenas opened after 1990?")
    assert not answer.answered, answer.sql
