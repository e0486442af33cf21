""""Which <column plural> ..." asks which values occur: each once (SELECT DISTINCT), counted
as values ("19 medications"); it had listed one row per holding row ("Albuterol; Albuterol;
..."). "Show all the grades of ..." still lists every row, as Spider's gold does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE_SQL = """
CREATE SCHEMA care;
CREATE TABLE care.appointments (id BIGINT, booked_on DATE);
CREATE TABLE care.orders_given (id BIGINT, appointment_id BIGINT, remedy VARCHAR);
INSERT INTO care.appointments SELECT i, DATE '2022-01-01' + INTERVAL (i * 9) DAY
    FROM range(1, 200) t(i);
INSERT INTO care.orders_given SELECT i, 1 + i % 199, ['Aspirin', 'Zinc', 'Iron'][1 + i % 3]
    FROM range(1, 300) t(i);
"""

CAMEL_SQL = """
CREATE SCHEMA zoo;
CREATE TABLE zoo.Keeper (KeeperId BIGINT, FullName VARCHAR, HomeTown VARCHAR);
INSERT INTO zoo.Keeper SELECT i, 'K' || i, ['Ashford', 'Brockley', 'Cresswell'][1 + i % 3]
    FROM range(1, 30) t(i);
"""


@pytest.fixture(scope="module")
def care(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE_SQL)


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CAMEL_SQL)


def test_which_values_lists_each_value_once(care: Path, zoo: Path) -> None:
    assert_answers_like(care, "Which remedies were given in 2023?",
                        "SELECT DISTINCT o.remedy FROM care.orders_given o JOIN "
                        "care.appointments a ON a.id = o.appointment_id "
                        "WHERE EXTRACT(YEAR FROM a.booked_on) = 2023")
    assert_answers_like(zoo, "Which home towns do keepers come from?",
                        "SELECT DISTINCT HomeTown FROM zoo.Keeper")


def test_the_answer_counts_values_not_rows(zoo: Path) -> None:
    answer = ask_db(zoo, "Which home towns do keepers come from?")
    assert answer.answer.startswith("3 home towns: "), answer.answer


@pytest.mark.parametrize("db, question, rows", [
    ("zoo", "Show all the home towns of the keepers.", 29),
])
def test_show_all_keeps_every_row(db: str, question: str, rows: int,
                                  request: pytest.FixtureRequest) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert answer.answered, answer.answer
    assert len(answer.rows) == rows, answer.sql
