"""A year filter on a column named for an event and a year reads the event said right
before the year, as a participle or the word itself ("museums that opened / were open
before 2009": open_year) and with the year named first ("clubs founded after 1990":
YearFounded) (events.py). What this unlocks must not be answered wrongly: "more than 15
staff" is a bound, not also a value 15 (rated.py), and the rows after "than" ("more staff
than the minimum staff of museums opened after 2010") are described, not filtered."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

SQL = """
CREATE SCHEMA town;
CREATE TABLE town.museum (museum_id BIGINT, name VARCHAR, num_of_staff BIGINT,
  open_year BIGINT);
INSERT INTO town.museum VALUES (1, 'Harbour Hall', 10, 2004), (2, 'Stone House', 30, 2008),
  (3, 'Glass Works', 20, 2012), (4, 'Old Mill', 40, 2015);
CREATE SCHEMA sport;
CREATE TABLE sport.Clubs (ClubId BIGINT, ClubName VARCHAR, YearFounded BIGINT,
  SquadSize BIGINT);
INSERT INTO sport.Clubs VALUES (1, 'Rovers', 1985, 30), (2, 'United', 1992, 22),
  (3, 'Athletic', 2001, 25);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize(("question", "rows"), [
    ("How many museums opened before 2009?", [[2]]),
    ("How many museums were open after 2010?", [[2]]),
    ("What is the average number of staff of the museums that were opened before 2009?",
     [[20.0]]),
    ("How many clubs were founded after 1990?", [[2]]),
    ("List the names of clubs founded before 2000.", [["Rovers"], ["United"]]),
])
def test_the_event_verb_before_a_year_reads_the_year_column(
        db: Path, question: str, rows: list[list[object]]) -> None:
    answer = ask_db(db, question)
    assert answer.answered, answer.answer
    assert [r[-1:] if len(rows[0]) == 1 else r for r in answer.rows] == rows, answer.sql


def test_an_event_the_year_column_does_not_name_is_declined(db: Path) -> None:
    answer = ask_db(db, "How many museums closed before 2009?")
    assert not answer.answered
    assert "closed" in answer.answer


def test_a_bound_before_a_column_word_is_no_value_of_it(db: Path) -> None:
    answer = ask_db(db, "Find the names of museums with more than 15 staff opened after 2010.")
    assert answer.answered, answer.answer
    assert sorted(answer.rows) == [["Glass Works"], ["Old Mill"]], answer.sql


@pytest.mark.parametrize("question", [
    "find the names of museums which have more staff than the minimum staff of all museums "
    "opened after 2010",
    "Which clubs have a larger squad size than the smallest squad size of clubs founded "
    "after 1990?",
])
def test_the_rows_compared_with_are_not_a_year_filter(
        db: Path, question: str) -> None:
    answer = ask_db(db, question)
    assert not answer.answered, answer.sql
