"""A count the subject keeps itself ("museums with more than 20 staff", Num_of_Staff) is a
comparison on that column, never a count of some related table's rows (it counted the
museum's distinct visitors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA arts;
CREATE TABLE arts.museum (museum_id BIGINT, name VARCHAR, num_of_staff INTEGER);
CREATE TABLE arts.visitor (id BIGINT, name VARCHAR, age INTEGER);
CREATE TABLE arts.visit (museum_id BIGINT, visitor_id BIGINT, num_of_ticket INTEGER);
INSERT INTO arts.museum SELECT i, 'M' || i, i * 4 FROM range(1, 13) t(i);
INSERT INTO arts.visitor SELECT i, 'V' || i, 20 + i FROM range(1, 61) t(i);
INSERT INTO arts.visit SELECT 1 + i % 12, 1 + (i * 7) % 60, 1 + i % 3 FROM range(1, 300) t(i);
"""

PASCAL = """
CREATE SCHEMA City;
CREATE TABLE City.Libraries (LibraryId BIGINT, LibraryName VARCHAR, StaffCount INTEGER);
CREATE TABLE City.Members (MemberId BIGINT, FullName VARCHAR);
CREATE TABLE City.Loans (LoanId BIGINT, LibraryId BIGINT, MemberId BIGINT);
INSERT INTO City.Libraries SELECT i, 'L' || i, 2 + i FROM range(1, 11) t(i);
INSERT INTO City.Members SELECT i, 'P' || i FROM range(1, 41) t(i);
INSERT INTO City.Loans SELECT i, 1 + i % 10, 1 + (i * 3) % 40 FROM range(1, 200) t(i);
"""


@pytest.fixture(scope="module")
def snake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE)


@pytest.fixture(scope="module")
def pascal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, PASCAL)


@pytest.mark.parametrize(("db", "question", "query"), [
    ("snake", "Find the names of museums with more than 20 staff.",
     "SELECT name FROM arts.museum WHERE num_of_staff > 20"),
    ("snake", "How many museums have more than 20 staff?",
     "SELECT COUNT(*) FROM arts.museum WHERE num_of_staff > 20"),
    ("pascal", "How many libraries have at least 8 staff?",
     "SELECT COUNT(*) FROM City.Libraries WHERE StaffCount >= 8"),
])
def test_a_count_kept_by_the_subject_is_its_column(request: pytest.FixtureRequest, db: str,
                                                  question: str, query: str) -> None:
    assert_answers_like(request.getfixturevalue(db), question, query)
