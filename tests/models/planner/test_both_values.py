"""``both`` with two values of the related rows is one condition per value (a subject with
some row of each), end to end through the Agent on DuckDB in two naming styles; a
``both`` it cannot read that way stays declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA clinic;
CREATE TABLE clinic.patients (id BIGINT, name VARCHAR);
CREATE TABLE clinic.visits (id BIGINT, patient_id BIGINT, reason VARCHAR, charge DOUBLE);
INSERT INTO clinic.patients SELECT i, 'P' || i FROM range(1, 41) t(i);
INSERT INTO clinic.visits SELECT i, 1 + i % 37, ['Flu shot', 'Checkup', 'Injury'][1 + i % 3],
  10.0 * i FROM range(1, 61) t(i);
"""

PASCAL = """
CREATE SCHEMA fleet;
CREATE TABLE fleet.Vehicles (VehicleId BIGINT, Plate VARCHAR);
CREATE TABLE fleet.ServiceRecords (RecordId BIGINT, VehicleId BIGINT, Work VARCHAR);
INSERT INTO fleet.Vehicles SELECT i, 'AB-' || i FROM range(1, 21) t(i);
INSERT INTO fleet.ServiceRecords SELECT i, 1 + i % 17,
  ['Tyre change', 'Inspection', 'Battery replacement'][1 + i % 3] FROM range(1, 41) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("clinic", SNAKE), ("fleet", PASCAL))}


@pytest.mark.parametrize(("db", "question", "query"), [
    ("clinic", "Which patients had both a flu shot and a checkup?",
     "SELECT name FROM clinic.patients WHERE id IN (SELECT patient_id FROM clinic.visits "
     "WHERE reason = 'Flu shot') AND id IN (SELECT patient_id FROM clinic.visits "
     "WHERE reason = 'Checkup')"),
    ("fleet", "How many vehicles had both a tyre change and an inspection?",
     "SELECT COUNT(*) FROM fleet.Vehicles WHERE VehicleId IN (SELECT VehicleId "
     "FROM fleet.ServiceRecords WHERE Work = 'Tyre change') AND VehicleId IN "
     "(SELECT VehicleId FROM fleet.ServiceRecords WHERE Work = 'Inspection')"),
])
def test_both_values_need_a_related_row_each(dbs: dict[str, Path], db: str, question: str,
                                             query: str) -> None:
    assert_answers_like(dbs[db], question, query)


def test_the_interpretation_names_each_condition(dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["clinic"], "Which patients had both a flu shot and a checkup?")

    assert answer.interpretation is not None
    said = " ".join(answer.interpretation.filters)
    assert "reason 'Flu shot'" in said and "reason 'Checkup'" in said


@pytest.mark.parametrize(("db", "question"), [
    # something follows the values: whose charge? not read as two conditions
    ("clinic", "Which patients had both a flu shot and a checkup over 100 dollars?"),
    # no relating verb between the subject and "both"
    ("fleet", "Which vehicles both a tyre change and an inspection?"),
])
def test_a_both_it_cannot_read_is_declined(dbs: dict[str, Path], db: str,
                                           question: str) -> None:
    answer = ask_db(dbs[db], question)

    assert not answer.answered, answer.sql
