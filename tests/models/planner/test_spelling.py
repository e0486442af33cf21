"""Misspelt and split names are read against the catalog's own vocabulary; nothing
else is touched, and the interpretation says how a word was read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, gold, make_db

# PascalCase tables, no comments: the names are all the planner has
SCHOOL_SQL = """
CREATE SCHEMA school;
CREATE TABLE school.Highschooler (ID BIGINT, Name VARCHAR, Grade BIGINT);
CREATE TABLE school.Department (ID BIGINT, DeptName VARCHAR, Building VARCHAR);
INSERT INTO school.Highschooler SELECT i, 'S' || i, 9 + i % 4 FROM range(1, 41) t(i);
INSERT INTO school.Department SELECT i, 'D' || i, ['North', 'South'][1 + i % 2]
  FROM range(1, 7) t(i);
"""


@pytest.fixture(scope="module")
def school_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SCHOOL_SQL)


def test_two_words_that_spell_a_table_name_are_read_as_it(school_db: Path) -> None:
    answer = ask_db(school_db, "How many high schoolers are in each grade?")

    assert answer.answered, answer.answer
    expected = gold(school_db, "SELECT Grade, COUNT(*) FROM school.Highschooler GROUP BY 1")
    assert sorted(answer.rows) == sorted(expected)
    assert answer.interpretation is not None
    assert "read 'high schoolers' as 'highschoolers'" in answer.interpretation.rules


def test_a_misspelt_table_name_is_read_as_the_nearest_one(school_db: Path) -> None:
    answer = ask_db(school_db, "How many depatments are there?")

    assert answer.answered, answer.answer
    assert answer.rows == [[6]]
    assert answer.interpretation is not None
    assert "read 'depatments' as 'department'" in answer.interpretation.rules


def test_words_far_from_any_name_are_not_bent_into_one(school_db: Path) -> None:
    answer = ask_db(school_db, "How many dormitories are there?")

    assert not answer.answered
    assert "dormitories" in answer.answer


def test_words_and_the_persons_an_er_name_says_are_read_as_it(school_db: Path) -> None:
    answer = ask_db(school_db, "How many high school students are in each grade?")

    assert answer.answered, answer.answer
    expected = gold(school_db, "SELECT Grade, COUNT(*) FROM school.Highschooler GROUP BY 1")
    assert sorted(answer.rows) == sorted(expected)
    assert answer.interpretation is not None
    assert "read 'high school students' as 'highschoolers'" in answer.interpretation.rules


def test_other_persons_after_the_words_are_not_the_er_name(school_db: Path) -> None:
    # a high school's teachers are not its highschoolers
    answer = ask_db(school_db, "How many high school teachers are there?")

    assert not answer.answered
