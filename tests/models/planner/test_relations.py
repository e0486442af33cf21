"""Verbs that name how two tables relate ("the courses they teach", "dogs that received a
treatment"), end to end through the Agent on DuckDB over schemas in three naming styles:
each answer returns what a hand-written query returns and names the verb's reading; a
verb that says more than "related" (negated or not), or between tables related in two
ways, stays declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.plan import Related
from nl2sql.models.planner.resolve import understand
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA school;
CREATE TABLE school.teachers (id BIGINT, name VARCHAR, age INTEGER);
CREATE TABLE school.courses (id BIGINT, title VARCHAR);
CREATE TABLE school.class_sessions (id BIGINT, teacher_id BIGINT, course_id BIGINT);
INSERT INTO school.teachers SELECT i, 'T' || i, 30 + i FROM range(1, 8) t(i);
INSERT INTO school.courses SELECT i, ['Math', 'Art', 'Music', 'History', 'Physics'][i]
  FROM range(1, 6) t(i);
INSERT INTO school.class_sessions VALUES (1, 1, 1), (2, 1, 2), (3, 2, 1), (4, 3, 3), (5, 4, 4),
  (6, 4, 5), (7, 4, 1), (8, 1, 1);  -- T1 teaches Math twice: one course, two sessions
"""

PASCAL = """
CREATE SCHEMA library;
CREATE TABLE library.Members (MemberId BIGINT, FullName VARCHAR, Age INTEGER, JoinedOn DATE);
CREATE TABLE library.Books (BookId BIGINT, Title VARCHAR, Genre VARCHAR);
CREATE TABLE library.Loans (LoanId BIGINT, MemberId BIGINT, BookId BIGINT, LoanDate DATE);
INSERT INTO library.Members SELECT i, 'M' || i, 18 + i * 3,
  DATE '2022-01-01' + INTERVAL (i * 70) DAY FROM range(1, 10) t(i);
INSERT INTO library.Books SELECT i, 'B' || i, ['Poetry', 'Drama', 'Travel'][1 + i % 3]
  FROM range(1, 8) t(i);
INSERT INTO library.Loans SELECT i, 1 + i % 5, 1 + i % 6, DATE '2023-01-01' + INTERVAL (i * 20) DAY
  FROM range(1, 15) t(i);
"""

TERSE = """
CREATE SCHEMA ops;
CREATE TABLE ops.cust (cust_id BIGINT, nm VARCHAR, age INTEGER);
CREATE TABLE ops.prod (prod_id BIGINT, nm VARCHAR);
CREATE TABLE ops.txn (txn_id BIGINT, cust_id BIGINT, prod_id BIGINT, amt DOUBLE);
INSERT INTO ops.cust SELECT i, 'K' || i, 20 + i FROM range(1, 11) t(i);
INSERT INTO ops.prod SELECT i, 'R' || i FROM range(1, 9) t(i);
INSERT INTO ops.txn SELECT i, 1 + i % 7, 1 + i % 5, i * 1.0 FROM range(1, 31) t(i);
"""

# Pilots point at the plane they are assigned to, and flights pair pilots with planes too.
TWO_WAYS = """
CREATE SCHEMA fleet;
CREATE TABLE fleet.pilots (id BIGINT, name VARCHAR, plane_id BIGINT);
CREATE TABLE fleet.planes (id BIGINT, model VARCHAR);
CREATE TABLE fleet.flights (id BIGINT, pilot_id BIGINT, plane_id BIGINT);
INSERT INTO fleet.pilots SELECT i, 'P' || i, 1 + i % 3 FROM range(1, 6) t(i);
INSERT INTO fleet.planes SELECT i, 'A' || i FROM range(1, 5) t(i);
INSERT INTO fleet.flights SELECT i, 1 + i % 5, 1 + i % 4 FROM range(1, 12) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("school", SNAKE), ("library", PASCAL), ("ops", TERSE), ("fleet", TWO_WAYS))}


ANSWERED = [
    # listing pairs through the bridge: one row per related pair
    ("school", "Show the names of teachers and the courses they teach.",
     "SELECT t.name, c.title FROM school.teachers t JOIN school.class_sessions s "
     "ON s.teacher_id = t.id JOIN school.courses c ON c.id = s.course_id"),
    ("library", "Show the full names of members and the titles of the books they borrowed.",
     "SELECT m.FullName, b.Title FROM library.Members m JOIN library.Loans l "
     "ON l.MemberId = m.MemberId JOIN library.Books b ON b.BookId = l.BookId"),
    ("library", "List the titles of books together with the full names of the members who "
     "borrowed them.",
     "SELECT b.Title, m.FullName FROM library.Books b JOIN library.Loans l "
     "ON l.BookId = b.BookId JOIN library.Members m ON m.MemberId = l.MemberId"),
    ("ops", "Show the names of customers and the products they bought.",
     "SELECT c.nm, p.nm FROM ops.cust c JOIN ops.txn t ON t.cust_id = c.cust_id "
     "JOIN ops.prod p ON p.prod_id = t.prod_id"),
    # a count per entity through the bridge counts distinct courses, not sessions
    ("school", "Show names of teachers and the number of courses they teach.",
     "SELECT t.name, COUNT(DISTINCT s.course_id) FROM school.teachers t "
     "JOIN school.class_sessions s ON s.teacher_id = t.id GROUP BY t.id, t.name"),
    ("library", "What are the full names of the members and how many books do they borrow?",
     "SELECT m.FullName, COUNT(DISTINCT l.BookId) FROM library.Members m "
     "JOIN library.Loans l ON l.MemberId = m.MemberId GROUP BY m.MemberId, m.FullName"),
    # a filter on the other side of the relation
    ("school", "What are the names of teachers who teach Math?",
     "SELECT t.name FROM school.teachers t JOIN school.class_sessions s ON s.teacher_id = t.id "
     "JOIN school.courses c ON c.id = s.course_id WHERE c.title = 'Math'"),
    # "the people who ...": a word for anyone stands for the table whose names are asked
    ("library", "What are the full names of the people who borrowed Drama books?",
     "SELECT FullName FROM library.Members WHERE MemberId IN (SELECT l.MemberId FROM "
     "library.Loans l JOIN library.Books b ON b.BookId = l.BookId WHERE b.Genre = 'Drama')"),
    # "who <verb> <table>": some related row, each subject row once
    ("school", "What is the average age of teachers who teach courses?",
     "SELECT AVG(age) FROM school.teachers WHERE id IN (SELECT teacher_id "
     "FROM school.class_sessions)"),
    ("library", "What is the average age of members who borrowed books?",
     "SELECT AVG(Age) FROM library.Members WHERE MemberId IN (SELECT MemberId "
     "FROM library.Loans)"),
    ("ops", "What is the average age of customers who bought products?",
     "SELECT AVG(age) FROM ops.cust WHERE cust_id IN (SELECT cust_id FROM ops.txn)"),
    # negated and counted relation verbs go through the set conditions
    ("school", "How many teachers teach at least two courses?",
     "SELECT COUNT(*) FROM (SELECT teacher_id FROM school.class_sessions GROUP BY 1 "
     "HAVING COUNT(DISTINCT course_id) >= 2)"),
    ("school", "Which teachers do not teach any course?",
     "SELECT name FROM school.teachers WHERE id NOT IN (SELECT teacher_id "
     "FROM school.class_sessions)"),
    ("library", "How many members did not borrow any book?",
     "SELECT COUNT(*) FROM library.Members WHERE MemberId NOT IN (SELECT MemberId "
     "FROM library.Loans)"),
    # a value of the table the bridge leads to narrows the related rows (sets.py)
    ("school", "Which teachers do not teach Math?",
     "SELECT name FROM school.teachers WHERE id NOT IN (SELECT s.teacher_id FROM "
     "school.class_sessions s JOIN school.courses c ON c.id = s.course_id WHERE c.title = 'Math')"),
    ("library", "Which members never borrowed Poetry books?",
     "SELECT FullName FROM library.Members WHERE MemberId NOT IN (SELECT l.MemberId FROM "
     "library.Loans l JOIN library.Books b ON b.BookId = l.BookId WHERE b.Genre = 'Poetry')"),
    ("ops", "Which customers never bought R3?",
     "SELECT nm FROM ops.cust WHERE cust_id NOT IN (SELECT t.cust_id FROM ops.txn t "
     "JOIN ops.prod p ON p.prod_id = t.prod_id WHERE p.nm = 'R3')"),
]


@pytest.mark.parametrize(("db", "question", "query"), ANSWERED)
def test_relation_verbs_answer_what_a_hand_written_query_returns(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)


@pytest.mark.parametrize(("db", "question", "reading"), [
    ("school", "Show the names of teachers and the courses they teach.",
     "teach: teachers -> class_sessions -> courses"),
    ("library", "Show the full names of members and the titles of the books they borrowed.",
     "borrowed: Members -> Loans -> Books"),
    ("ops", "What is the average age of customers who bought products?", "some products"),
])
def test_the_interpretation_names_the_verbs_reading(
        dbs: dict[str, Path], db: str, question: str, reading: str) -> None:
    answer = ask_db(dbs[db], question)

    assert answer.interpretation is not None
    said = answer.interpretation.rules + answer.interpretation.filters
    assert any(reading in s for s in said), said


def test_listing_pairs_repeats_rows_and_counting_uses_the_key(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["school"], "school")

    pairs = understand("Show the names of teachers and the courses they teach.", cat).plan
    counted = understand("Show names of teachers and the number of courses they teach.",
                         cat).plan

    assert pairs is not None and counted is not None
    assert [(c.table, c.name) for c in pairs.rows] == [
        ("school.teachers", "name"), ("school.courses", "title")]
    assert [j.target.name for j in pairs.joins] == ["class_sessions", "courses"]
    assert pairs.relations == ["teach: teachers -> class_sessions -> courses"]
    (measure,) = counted.measures
    assert measure.func == "COUNT_DISTINCT" and measure.column is not None
    assert measure.column.is_key


def test_a_verb_before_the_related_table_is_a_condition_not_a_join(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["library"], "library")

    plan = understand("What is the average age of members who borrowed books?", cat).plan

    assert plan is not None and not plan.joins  # a join would repeat members
    (cond,) = plan.conditions
    assert isinstance(cond, Related) and (cond.via.name, cond.op, cond.count) == ("Loans", ">=", 1)


@pytest.mark.parametrize(("db", "question", "reason"), [
    # two ways between the tables: the pilot's own plane, or the planes of their flights
    ("fleet", "Show the names of pilots and the planes they operate.", "more than one way"),
    ("fleet", "How many pilots operate planes?", "more than one way"),
    # a verb that says more than "related": a condition the data does not hold
    ("ops", "Which customers returned products?", "returned"),
    ("library", "Which members renewed books?", "renewed"),
    # one side's rows repeated once per related row, the other side showing nothing
    ("library", "What are the ages of those who borrowed books?", "borrowed"),
    # the date is the borrowing's (Loans), not the members' joining date: not read so
    ("library", "How many members borrowed Drama books in 2023?", ""),
    # a negated verb that says more than "related"
    ("library", "Which members never renewed a book?", "renewed"),
])
def test_relation_verbs_it_cannot_read_are_declined(dbs: dict[str, Path], db: str,
                                                    question: str, reason: str) -> None:
    answer = ask_db(dbs[db], question)

    assert not answer.answered, answer.sql
    assert answer.sql is None
    assert reason in answer.answer
