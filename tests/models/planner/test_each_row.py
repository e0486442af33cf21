"""A numeric column asked "of each <the rows themselves>" is each row's value ("What is the
grade of each student?"), listed with the rows' labels; an aggregate word ("total",
"average") or "each <another table>" keeps the aggregate reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

SQL = """
CREATE SCHEMA school;
CREATE TABLE school.student (student_id BIGINT, name VARCHAR, grade BIGINT);
INSERT INTO school.student VALUES (1, 'Ann', 9), (2, 'Bo', 10), (3, 'Cy', 10);
CREATE SCHEMA kennel;
CREATE TABLE kennel.Breeds (BreedCode VARCHAR, BreedName VARCHAR);
INSERT INTO kennel.Breeds VALUES ('BUL', 'Bulldog'), ('HUS', 'Husky');
CREATE TABLE kennel.Dogs (DogId BIGINT, DogName VARCHAR, BreedCode VARCHAR, WeightKg DOUBLE);
INSERT INTO kennel.Dogs VALUES (1, 'Rex', 'BUL', 20.5), (2, 'Fido', 'HUS', 30.0),
  (3, 'Max', 'BUL', 18.0);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize(("question", "rows"), [
    ("What is the grade of each student?", [["Ann", 9], ["Bo", 10], ["Cy", 10]]),
    ("List the grade of every student.", [["Ann", 9], ["Bo", 10], ["Cy", 10]]),
    ("What is the weight of each dog?", [["Fido", 30.0], ["Max", 18.0], ["Rex", 20.5]]),
])
def test_a_column_of_each_row_is_listed_per_row(db: Path, question: str,
                                                rows: list[list[object]]) -> None:
    answer = ask_db(db, question)
    assert answer.answered, answer.answer
    assert sorted(answer.rows) == rows, answer.sql


@pytest.mark.parametrize(("question", "rows"), [
    ("What is the total weight of the dogs of each breed?", [["Bulldog", 38.5], ["Husky", 30.0]]),
    ("What is the average grade of students?", [[29 / 3]]),
])
def test_aggregates_asked_for_stay_aggregates(db: Path, question: str,
                                              rows: list[list[object]]) -> None:
    answer = ask_db(db, question)
    assert answer.answered, answer.answer
    got = sorted([r[-2:] if len(rows[0]) == 2 else r[-1:] for r in answer.rows])
    assert [[round(v, 4) if isinstance(v, float) else v for v in r] for r in got] == [
        [round(v, 4) if isinstance(v, float) else v for v in r] for r in rows], answer.sql


def test_the_total_of_each_row_is_not_read_as_its_value(db: Path) -> None:
    answer = ask_db(db, "What is the total weight of each dog?")
    assert not answer.answered  # a total of one row: declined, not the value shown as one


def test_rows_with_no_name_to_show_them_by_stay_declined(tmp_path_factory:
                                                         pytest.TempPathFactory) -> None:
    path = make_db(tmp_path_factory, """
CREATE SCHEMA vet;
CREATE TABLE vet.treatments (treatment_id BIGINT, dog_id BIGINT, cost_of_treatment DOUBLE);
INSERT INTO vet.treatments VALUES (1, 1, 10.0), (2, 2, 20.0);
""")
    assert not ask_db(path, "What is the cost of each treatment?").answered
