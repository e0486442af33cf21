"""Filters on part of a text value end to end through the Agent on DuckDB: "containing the
substring 'x'", "starting with", "ending with", in any letter case; a quoted text with no
text column named before its cue stays declined. Also: a superlative over a kind of
quantity names one row even when the question's verb looks plural ("the most expensive
service costs")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

CLUB = """
CREATE SCHEMA club;
CREATE TABLE club.members (member_id BIGINT, first_name VARCHAR, last_name VARCHAR,
                           town VARCHAR, fee DOUBLE);
CREATE TABLE club.services (service_code VARCHAR, service_label VARCHAR, charge DOUBLE);
INSERT INTO club.members VALUES (1, 'Ada', 'Marsh', 'Westbury', 10),
  (2, 'Bo', 'Lund', 'Eastfield', 20), (3, 'Cy', 'Moss', 'Upper West End', 30),
  (4, 'Di', 'Hale', 'Norton', 40),
  (5, 'Ed', 'Nash', 'Kingsbridge', 50);
INSERT INTO club.services VALUES ('SWM', 'Swimming', 12), ('GYM', 'Gym', 30), ('SPA', 'Spa', 55);
"""


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CLUB)


@pytest.mark.parametrize(("question", "query"), [
    ("Which members live in a town containing the substring 'west'? List their first names.",
     "SELECT first_name FROM club.members WHERE lower(town) LIKE '%west%'"),
    ("List the first names of members whose town contains 'WEST'.",
     "SELECT first_name FROM club.members WHERE lower(town) LIKE '%west%'"),
    ("Show the first name of the members whose last name starts with 'M'.",
     "SELECT first_name FROM club.members WHERE last_name LIKE 'M%'"),
    ("How many members have a town ending with 'field'?",
     "SELECT count(*) FROM club.members WHERE town LIKE '%field'"),
    ("Find the last names of members living in a town whose name has the substring 'ton'.",
     "SELECT last_name FROM club.members WHERE town LIKE '%ton%'"),
])
def test_part_of_a_text_filters_the_column_named_before_it(club: Path, question: str,
                                                            query: str) -> None:
    assert_answers_like(club, question, query)


@pytest.mark.parametrize("question", [
    # no column named before the cue: which text holds 'west' is unsaid
    "Which members contain the substring 'west'?",
    # a number column cannot hold a part of a text
    "List the members whose fee contains '5'.",
])
def test_part_of_a_text_without_a_text_column_declines(club: Path, question: str) -> None:
    answer = ask_db(club, question)
    assert not answer.answered, answer.sql


def test_a_plural_looking_verb_after_a_superlative_names_one_row(club: Path) -> None:
    answer = ask_db(club, "How much does the most expensive service costs?")
    assert answer.answered, answer.answer
    assert len(answer.rows) == 1 and 55 in answer.rows[0], answer.sql
