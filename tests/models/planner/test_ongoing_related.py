"""A set condition counting only ongoing related rows ("departments with more than 10
current employees", "owners with no former dogs"): the end date of the counted rows is
empty (or set), end to end through the Agent on DuckDB in two naming styles; a related
table with no end date leaves the word unaccounted, and the question is declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA hr;
CREATE TABLE hr.departments (id BIGINT, name VARCHAR);
CREATE TABLE hr.employees (id BIGINT, department_id BIGINT, full_name VARCHAR,
  hired_on DATE, left_on DATE);
CREATE TABLE hr.projects (id BIGINT, department_id BIGINT, title VARCHAR);
INSERT INTO hr.departments SELECT i, 'Dept ' || i FROM range(1, 7) t(i);
INSERT INTO hr.employees SELECT i, 1 + (i * i) % 6, 'E' || i, DATE '2020-01-01',
  CASE WHEN i % (2 + i % 4) = 0 THEN DATE '2024-01-01' END FROM range(1, 61) t(i);
INSERT INTO hr.projects SELECT i, 1 + i % 4, 'P' || i FROM range(1, 13) t(i);
"""

PASCAL = """
CREATE SCHEMA kennel;
CREATE TABLE kennel.Owners (OwnerId BIGINT, FirstName VARCHAR);
CREATE TABLE kennel.Dogs (DogId BIGINT, OwnerId BIGINT, Name VARCHAR, RemovedDate DATE);
INSERT INTO kennel.Owners SELECT i, 'O' || i FROM range(1, 11) t(i);
INSERT INTO kennel.Dogs SELECT i, 1 + (i * 3) % 8, 'D' || i,
  CASE WHEN i % 3 = 0 THEN DATE '2023-05-01' END FROM range(1, 31) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("hr", SNAKE), ("kennel", PASCAL))}


@pytest.mark.parametrize(("db", "question", "query"), [
    ("hr", "Which departments have more than 5 current employees?",
     "SELECT name FROM hr.departments d WHERE (SELECT COUNT(*) FROM hr.employees e "
     "WHERE e.department_id = d.id AND e.left_on IS NULL) > 5"),
    ("hr", "departments with at least 3 former employees",
     "SELECT name FROM hr.departments d WHERE (SELECT COUNT(*) FROM hr.employees e "
     "WHERE e.department_id = d.id AND e.left_on IS NOT NULL) >= 3"),
    ("kennel", "Which owners have more than 2 active dogs?",
     "SELECT FirstName FROM kennel.Owners o WHERE (SELECT COUNT(*) FROM kennel.Dogs d "
     "WHERE d.OwnerId = o.OwnerId AND d.RemovedDate IS NULL) > 2"),
    ("kennel", "How many owners have no current dogs?",
     "SELECT COUNT(*) FROM kennel.Owners o WHERE NOT EXISTS (SELECT 1 FROM kennel.Dogs d "
     "WHERE d.OwnerId = o.OwnerId AND d.RemovedDate IS NULL)"),
])
def test_only_the_ongoing_related_rows_are_counted(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)


def test_the_interpretation_says_the_end_date_is_empty(dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["hr"], "Which departments have more than 5 current employees?")

    assert answer.interpretation is not None
    assert "(left not set)" in " ".join(answer.interpretation.filters)


def test_a_related_table_without_an_end_date_is_declined(dbs: dict[str, Path]) -> None:
    # projects record no end: "current" says nothing the data can check
    answer = ask_db(dbs["hr"], "Which departments have more than 2 current projects?")

    assert not answer.answered, answer.sql
