"""Vocabulary and small grammar: the words people use for a column without its name.

"the names of the owners" (first_name and last_name), "the name of the breed" (a column
of the table named after "of"), "the different names" (each once), "the cost" and "the
amount of money" (the one money column of the table meant), "his or her", "not higher
than". Each over schemas of our own in three naming styles, with the declines that must
stay declines where more than one column fits.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.resolve import understand
from nl2sql.models.planner.sqlbuild import to_sql
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import ask_db, gold, make_db

SNAKE_SQL = """
CREATE SCHEMA kennel;
CREATE TABLE kennel.owners (owner_id BIGINT, first_name VARCHAR, last_name VARCHAR,
                            state VARCHAR);
CREATE TABLE kennel.breeds (breed_code VARCHAR, breed_name VARCHAR);
CREATE TABLE kennel.dogs (dog_id BIGINT, owner_id BIGINT, breed_code VARCHAR, name VARCHAR,
                          weight DOUBLE);
CREATE TABLE kennel.treatments (treatment_id BIGINT, dog_id BIGINT, cost_of_treatment DOUBLE);
INSERT INTO kennel.owners SELECT i, ['Ann', 'Bob', 'Cy'][1 + i % 3], 'L' || i,
  ['Texas', 'Ohio'][1 + i % 2] FROM range(1, 9) t(i);
INSERT INTO kennel.breeds VALUES ('B', 'Beagle'), ('P', 'Poodle'), ('H', 'Husky');
INSERT INTO kennel.dogs SELECT i, 1 + i % 8, ['B', 'P', 'B', 'H', 'B'][1 + i % 5], 'D' || (i % 7),
  5.0 + i FROM range(1, 21) t(i);
INSERT INTO kennel.treatments SELECT i, 1 + i % 20, 10.0 * (1 + i % 6) FROM range(1, 41) t(i);
"""
PASCAL_SQL = """
CREATE SCHEMA clinic;
CREATE TABLE clinic.Wards (WardCode VARCHAR, WardName VARCHAR);
CREATE TABLE clinic.Patients (PatientId BIGINT, WardCode VARCHAR, FirstName VARCHAR,
                              LastName VARCHAR, City VARCHAR, Age INTEGER);
CREATE TABLE clinic.Visits (VisitId BIGINT, PatientId BIGINT, CostOfVisit DECIMAL(8,2));
INSERT INTO clinic.Wards VALUES ('A', 'Acute'), ('M', 'Maternity'), ('O', 'Oncology');
INSERT INTO clinic.Patients SELECT i, ['A', 'M', 'A', 'O'][1 + i % 4],
  ['Ann', 'Bob', 'Cy', 'Di'][1 + i % 4], 'L' || i, ['Leeds', 'York'][1 + i % 2], 20 + i * 3
  FROM range(1, 13) t(i);
INSERT INTO clinic.Visits SELECT i, 1 + i % 12, 25.5 * (1 + i % 4) FROM range(1, 61) t(i);
"""
TERSE_SQL = """
CREATE SCHEMA hr;
CREATE TABLE hr.dept (dept_cd VARCHAR, dept_nm VARCHAR);
CREATE TABLE hr.emp (emp_id BIGINT, dept_cd VARCHAR, first_nm VARCHAR, last_nm VARCHAR,
                     age INTEGER);
CREATE TABLE hr.pay (pay_id BIGINT, emp_id BIGINT, gross_amt DECIMAL(10,2),
                     tax_amt DECIMAL(10,2));
CREATE TABLE hr.prod (prod_id BIGINT, product_name VARCHAR, brand_name VARCHAR);
INSERT INTO hr.dept VALUES ('F', 'Finance'), ('S', 'Sales'), ('T', 'Tech');
INSERT INTO hr.emp SELECT i, ['F', 'S', 'T', 'S'][1 + i % 4], ['Ann', 'Bob', 'Cy'][1 + i % 3],
  'L' || i, 22 + i * 2 FROM range(1, 16) t(i);
INSERT INTO hr.pay SELECT i, 1 + i % 15, 1000 + i, 100 + i FROM range(1, 46) t(i);
INSERT INTO hr.prod SELECT i, 'P' || i, ['Acme', 'Zen'][1 + i % 2] FROM range(1, 7) t(i);
"""


@pytest.fixture(scope="module")
def kennel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE_SQL)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, PASCAL_SQL)


@pytest.fixture(scope="module")
def hr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, TERSE_SQL)


def _same(db: Path, question: str, query: str) -> None:
    answer = ask_db(db, question)
    assert answer.answered, answer.answer
    expected = gold(db, query)
    width = len(expected[0])
    assert sorted((r[:width] for r in answer.rows), key=str) == sorted(expected, key=str), \
        answer.sql


@pytest.mark.parametrize(("db", "question", "query"), [
    ("kennel", "What are the names of the owners?",
     "SELECT first_name, last_name FROM kennel.owners"),
    ("kennel", "List the names of the owners who live in Texas.",
     "SELECT first_name, last_name FROM kennel.owners WHERE state = 'Texas'"),
    ("clinic", "What are the names of the patients?",
     "SELECT FirstName, LastName FROM clinic.Patients"),
    ("hr", "What are the names of the employees?", "SELECT first_nm, last_nm FROM hr.emp"),
])
def test_names_of_people_are_their_name_parts(request: pytest.FixtureRequest, db: str,
                                               question: str, query: str) -> None:
    _same(request.getfixturevalue(db), question, query)


@pytest.mark.parametrize(("db", "question", "query"), [
    ("kennel", "What is the name of the breed with the most dogs?",
     "SELECT b.breed_name, COUNT(*) FROM kennel.dogs d JOIN kennel.breeds b "
     "ON d.breed_code = b.breed_code GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    ("clinic", "What is the name of the ward with the most patients?",
     "SELECT w.WardName, COUNT(*) FROM clinic.Patients p JOIN clinic.Wards w "
     "ON p.WardCode = w.WardCode GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    ("hr", "What is the name of the department with the most employees?",
     "SELECT d.dept_nm, COUNT(*) FROM hr.emp e JOIN hr.dept d ON e.dept_cd = d.dept_cd "
     "GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
])
def test_the_name_of_a_table_named_after_of_is_that_tables_name(
        request: pytest.FixtureRequest, db: str, question: str, query: str) -> None:
    # the dogs have a name of their own: "of the breed" says whose name is asked
    _same(request.getfixturevalue(db), question, query)


def test_different_names_through_a_join_are_each_listed_once(kennel: Path) -> None:
    question = "What are the distinct names of dogs that have a treatment costing more than 50?"
    answer = ask_db(kennel, question)

    assert answer.answered, answer.answer
    expected = gold(kennel, "SELECT DISTINCT d.name FROM kennel.dogs d JOIN kennel.treatments t "
                            "ON d.dog_id = t.dog_id WHERE t.cost_of_treatment > 50")
    assert sorted(answer.rows) == sorted(expected)  # no name twice, though dogs share names


def test_distinct_is_a_stage_of_the_plan(clinic: Path) -> None:
    u = understand("Show the different first names of patients.", catalog_of(clinic, "clinic"))

    assert u.plan is not None, u.problem
    assert u.plan.distinct
    assert to_sql(u.plan).startswith("SELECT DISTINCT")


@pytest.mark.parametrize(("db", "question", "query"), [
    ("kennel", "What is the total amount of money spent on treatments?",
     "SELECT SUM(cost_of_treatment) FROM kennel.treatments"),
    ("clinic", "What is the total amount of money of visits?",
     "SELECT SUM(CostOfVisit) FROM clinic.Visits"),
    ("clinic", "What is the total cost for each city?",  # CostOfVisit: "cost" of a visit
     "SELECT p.City, SUM(v.CostOfVisit) FROM clinic.Visits v JOIN clinic.Patients p "
     "ON v.PatientId = p.PatientId GROUP BY 1"),
])
def test_money_words_read_the_one_money_column(request: pytest.FixtureRequest, db: str,
                                               question: str, query: str) -> None:
    _same(request.getfixturevalue(db), question, query)


def test_not_higher_than_is_at_most(clinic: Path) -> None:
    _same(clinic, "What is the average age of patients whose age is not higher than 40?",
          "SELECT AVG(Age) FROM clinic.Patients WHERE Age <= 40")


@pytest.mark.parametrize("question", [
    "List each owner's first name and his or her state.",
    "List each owner's first name and state.",
])
def test_each_owners_columns_are_rows_and_his_or_her_is_one_person(kennel: Path,
                                                                   question: str) -> None:
    _same(kennel, question, "SELECT first_name, state FROM kennel.owners")


@pytest.mark.parametrize(("db", "question"), [
    ("hr", "What are the names of the products?"),  # product_name or brand_name
    ("hr", "What is the total amount of money for each department?"),  # gross or tax
    ("kennel", "How many dogs are named D1 or weigh more than 20?"),  # or across columns
    ("kennel", "List the weight of each dog and the breed name."),  # rows, not a sum per breed
    ("kennel", "What is the cost of each treatment?"),
])
def test_several_readings_stay_declined(request: pytest.FixtureRequest, db: str,
                                        question: str) -> None:
    answer = ask_db(request.getfixturevalue(db), question)

    assert not answer.answered, (answer.sql, answer.rows)
    assert answer.sql is None and answer.rows == []
