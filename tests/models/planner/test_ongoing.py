""""current employees", "active customers": the rows whose end date (term_dt, LeftDate)
is empty; "former employees" those whose end date is set. Only where the subject's table
has one date column whose name says a row ended; otherwise declined. And "salary" for a
terse ann_sal_amt (the words before its amount word, a qualifier left unsaid), declined
where min and max salary columns both fit. Snake case and PascalCase."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

STAFF_SQL = """
CREATE SCHEMA staff;
CREATE TABLE staff.emp (emp_id INTEGER, frst_nm VARCHAR, hire_dt DATE, term_dt DATE,
    ann_sal_amt DECIMAL(10,2), job_cd VARCHAR);
INSERT INTO staff.emp SELECT i, 'E' || i, DATE '2015-01-01' + INTERVAL (i * 30) DAY,
    CASE WHEN i % 4 = 0 THEN DATE '2024-01-01' + INTERVAL (i) DAY ELSE NULL END,
    40000 + i * 1000, ['J1', 'J2'][1 + i % 2] FROM range(1, 41) t(i);
CREATE TABLE staff.job (job_cd VARCHAR, job_ttl VARCHAR, min_sal_amt INTEGER, max_sal_amt INTEGER);
INSERT INTO staff.job VALUES ('J1', 'Clerk', 30000, 60000), ('J2', 'Analyst', 50000, 90000);
CREATE TABLE staff.site (site_id INTEGER, site_nm VARCHAR, opened_dt DATE, closed_dt DATE,
    moved_dt DATE);
INSERT INTO staff.site VALUES (1, 'A', DATE '2010-01-01', NULL, NULL),
    (2, 'B', DATE '2011-01-01', DATE '2020-01-01', NULL);
"""

GRID_SQL = """
CREATE SCHEMA grid;
CREATE TABLE grid.Customers (CustomerId INTEGER, FullName VARCHAR, SignupDate DATE, LeftDate DATE);
INSERT INTO grid.Customers SELECT i, 'C' || i, DATE '2020-01-01' + INTERVAL (i) DAY,
    CASE WHEN i % 5 = 0 THEN DATE '2024-06-01' ELSE NULL END FROM range(1, 51) t(i);
CREATE TABLE grid.Contracts (ContractId INTEGER, CustomerId INTEGER, StartDate DATE,
    EndDate DATE, ClosedDate DATE);
INSERT INTO grid.Contracts SELECT i, i, DATE '2021-01-01', NULL, NULL FROM range(1, 11) t(i);
"""


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, STAFF_SQL)


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, GRID_SQL)


def test_current_rows_have_no_end_date(staff: Path) -> None:
    assert_answers_like(staff, "how many current employees",
                        "SELECT COUNT(*) FROM staff.emp WHERE term_dt IS NULL")


def test_former_rows_have_one(staff: Path) -> None:
    assert_answers_like(staff, "how many former employees",
                        "SELECT COUNT(*) FROM staff.emp WHERE term_dt IS NOT NULL")


def test_pascal_case_active(grid: Path) -> None:
    assert_answers_like(grid, "how many active customers",
                        "SELECT COUNT(*) FROM grid.Customers WHERE LeftDate IS NULL")
    interpretation = ask_db(grid, "how many active customers").interpretation
    assert interpretation is not None and "left date not set" in interpretation.summary


@pytest.mark.parametrize("db,question", [("grid", "how many active contracts"),  # End, Closed
                                         ("staff", "how many current jobs")])  # no end date
def test_no_single_end_date_is_declined(request: pytest.FixtureRequest, db: str,
                                        question: str) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert not answer.answered, answer.sql


def test_a_terse_salary_is_found_with_its_qualifier_unsaid(staff: Path) -> None:
    assert_answers_like(staff, "average salary of current employees",
                        "SELECT AVG(ann_sal_amt) FROM staff.emp WHERE term_dt IS NULL")


def test_two_salaries_of_a_table_are_declined(staff: Path) -> None:
    answer = ask_db(staff, "what is the average salary of jobs")
    assert not answer.answered, answer.sql


def test_a_description_word_is_no_reading_of_current(tmp_path_factory: pytest.TempPathFactory
                                                     ) -> None:
    """"current" in a table's description ("current and former members") does not stand for
    the table: with no end date to read it by, the question is declined, not answered over
    every row."""
    db = make_db(tmp_path_factory, """
        CREATE SCHEMA club;
        CREATE TABLE club.members (member_id INTEGER, gender VARCHAR, joined_on DATE);
        COMMENT ON TABLE club.members IS 'People of the club, current and former';
        INSERT INTO club.members SELECT i, ['F', 'M'][1 + i % 2], DATE '2020-01-01'
            FROM range(1, 21) t(i);""")
    answer = ask_db(db, "what % of current people are women")
    assert not answer.answered, answer.sql
    assert_answers_like(db, "what % of members are women",
                        "SELECT 100.0 * COUNT(*) FILTER (WHERE gender = 'F') / COUNT(*), "
                        "COUNT(*) FILTER (WHERE gender = 'F'), COUNT(*) FROM club.members")


def test_current_staff_through_a_person_word(staff: Path) -> None:
    assert_answers_like(staff, "how many current staff",
                        "SELECT COUNT(*) FROM staff.emp WHERE term_dt IS NULL")


@pytest.mark.parametrize("question", ["what % of employees have a termination date",
                                      "what percent of employees have a termination date"])
def test_the_percent_sign_is_the_word_percent(staff: Path, question: str) -> None:
    answer = ask_db(staff, question)
    assert answer.answered, answer.answer
    assert answer.rows[0][0] == pytest.approx(25.0), answer.sql


TERMS_SQL = """
CREATE SCHEMA campus;
CREATE TABLE campus.course_offerings (offering_id INTEGER, course_title VARCHAR,
    term_start_date DATE, seats INTEGER);
INSERT INTO campus.course_offerings SELECT i, 'C' || i, DATE '2024-09-01' + INTERVAL (i) DAY,
    20 + i FROM range(1, 21) t(i);
CREATE TABLE campus.Sections (SectionId INTEGER, Title VARCHAR, TermBeginDate DATE);
INSERT INTO campus.Sections SELECT i, 'S' || i, DATE '2025-01-10' FROM range(1, 11) t(i);
"""


@pytest.mark.parametrize("question", ["how many current course offerings",
                                      "how many active sections"])
def test_a_start_date_is_no_end_date(tmp_path_factory: pytest.TempPathFactory,
                                     question: str) -> None:
    """"term" says an end in term_dt, but term_start_date is when a school term began:
    IS NULL there counted no rows (confidently wrong); declined instead."""
    answer = ask_db(make_db(tmp_path_factory, TERMS_SQL), question)
    assert not answer.answered, answer.sql


SUBS_SQL = """
CREATE SCHEMA billing;
CREATE TABLE billing.subscriptions (sub_id INTEGER, plan VARCHAR, start_date DATE,
    end_date DATE);
INSERT INTO billing.subscriptions SELECT i, 'P', DATE '2024-01-01',
    DATE '2030-01-01' + INTERVAL (i) DAY FROM range(1, 21) t(i);
CREATE SCHEMA Leasing;
CREATE TABLE Leasing.Leases (LeaseId INTEGER, SignedDate DATE, ExpiryDate DATE);
INSERT INTO Leasing.Leases SELECT i, DATE '2024-01-01', DATE '2031-01-01' FROM range(1, 9) t(i);
"""


@pytest.mark.parametrize("question", ["how many active subscriptions are there",
                                      "how many current leases are there"])
def test_an_end_that_may_lie_ahead_is_no_reading_of_active(
        tmp_path_factory: pytest.TempPathFactory, question: str) -> None:
    # every end date is set and in the future: "end_date IS NULL" would answer 0
    answer = ask_db(make_db(tmp_path_factory, SUBS_SQL), question)
    assert not answer.answered, answer.sql
