"""A question that is only the subject's rows and a set condition on them ("departments
with more than 50 employees", "owners without dogs") lists those rows, and one opening
with a column and a count condition ("cities with more than 10 employees") groups by it,
as the same questions opened by "Which" do, end to end through the Agent on DuckDB in two
naming styles; an aggregate word keeps the aggregate, and an upper bound lists too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA hr;
CREATE TABLE hr.departments (id BIGINT, name VARCHAR);
CREATE TABLE hr.employees (id BIGINT, department_id BIGINT, full_name VARCHAR, salary DOUBLE,
  city VARCHAR);
INSERT INTO hr.departments SELECT i, 'Dept ' || i FROM range(1, 9) t(i);
INSERT INTO hr.employees SELECT i, 1 + (i * i) % 6, 'E' || i, 1000.0 * i,
  ['Lyon', 'Oslo', 'Rome', 'Kyiv'][1 + (i % 7) % 4] FROM range(1, 61) t(i);
"""

PASCAL = """
CREATE SCHEMA kennel;
CREATE TABLE kennel.Owners (OwnerId BIGINT, FirstName VARCHAR, State VARCHAR);
CREATE TABLE kennel.Dogs (DogId BIGINT, OwnerId BIGINT, Name VARCHAR, Weight DOUBLE,
  Breed VARCHAR);
INSERT INTO kennel.Owners SELECT i, 'O' || i, ['Texas', 'Ohio'][1 + i % 2] FROM range(1, 13) t(i);
INSERT INTO kennel.Dogs SELECT i, 1 + (i * 3) % 8, 'D' || i, 5.0 + i,
  ['Pug', 'Boxer', 'Beagle'][1 + (i * i) % 3] FROM range(1, 31) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("hr", SNAKE), ("kennel", PASCAL))}


@pytest.mark.parametrize(("db", "question", "query"), [
    ("hr", "departments with more than 10 employees",
     "SELECT name FROM hr.departments d WHERE "
     "(SELECT COUNT(*) FROM hr.employees e WHERE e.department_id = d.id) > 10"),
    ("hr", "departments that have at least 12 employees",
     "SELECT name FROM hr.departments d WHERE "
     "(SELECT COUNT(*) FROM hr.employees e WHERE e.department_id = d.id) >= 12"),
    ("hr", "departments without employees",
     "SELECT name FROM hr.departments WHERE id NOT IN (SELECT department_id FROM hr.employees)"),
    ("kennel", "owners with more than 3 dogs",
     "SELECT FirstName FROM kennel.Owners o WHERE "
     "(SELECT COUNT(*) FROM kennel.Dogs d WHERE d.OwnerId = o.OwnerId) > 3"),
    ("kennel", "owners with no dogs",
     "SELECT FirstName FROM kennel.Owners WHERE OwnerId NOT IN (SELECT OwnerId FROM kennel.Dogs)"),
])
def test_the_subject_and_a_set_condition_list_the_rows(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)


def test_the_listing_says_its_condition(dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["kennel"], "owners with more than 3 dogs")

    assert answer.interpretation is not None
    assert "more than 3 dogs" in " ".join(answer.interpretation.filters)


@pytest.mark.parametrize(("db", "question", "query"), [
    # an aggregate word asks for the aggregate, not the rows
    ("hr", "number of departments with more than 10 employees",
     "SELECT COUNT(*) FROM hr.departments d WHERE "
     "(SELECT COUNT(*) FROM hr.employees e WHERE e.department_id = d.id) > 10"),
    ("kennel", "count of owners with no dogs",
     "SELECT COUNT(*) FROM kennel.Owners WHERE OwnerId NOT IN (SELECT OwnerId FROM kennel.Dogs)"),
])
def test_an_aggregate_word_keeps_the_aggregate(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)


@pytest.mark.parametrize(("db", "question", "query"), [
    # an upper bound reads as the "Which" question does: those with none are included
    ("hr", "departments with fewer than 10 employees",
     "SELECT name FROM hr.departments d WHERE "
     "(SELECT COUNT(*) FROM hr.employees e WHERE e.department_id = d.id) < 10"),
    ("kennel", "owners with at most 3 dogs",
     "SELECT FirstName FROM kennel.Owners o WHERE "
     "(SELECT COUNT(*) FROM kennel.Dogs d WHERE d.OwnerId = o.OwnerId) <= 3"),
])
def test_an_upper_bound_lists_as_the_which_question_does(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)


@pytest.mark.parametrize(("db", "question", "query"), [
    ("hr", "cities with more than 14 employees",
     "SELECT city, COUNT(*) FROM hr.employees GROUP BY city HAVING COUNT(*) > 14"),
    ("kennel", "breeds with at least 11 dogs",
     "SELECT Breed, COUNT(*) FROM kennel.Dogs GROUP BY Breed HAVING COUNT(*) >= 11"),
])
def test_a_column_and_a_count_condition_group_by_the_column(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)
    which = ask_db(dbs[db], "Which " + question.replace(" with ", " have "))
    assert which.sql == ask_db(dbs[db], question).sql
