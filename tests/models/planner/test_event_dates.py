"""A date said after the words naming a subject's event rows filters those rows' date, not
the subject's own ("bikes that had a battery replacement in 2024": the maintenance date,
not the in-service date), end to end through the Agent on DuckDB in three naming styles;
a date that could be either's is declined, a date of the subject's creation is its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

PASCAL = """
CREATE SCHEMA fleet;
CREATE TABLE fleet.Vehicles (VehicleId BIGINT, VehicleType VARCHAR, InServiceSince DATE);
CREATE TABLE fleet.ServiceRecords (RecordId BIGINT, VehicleId BIGINT, Work VARCHAR,
                                   ServiceDate DATE);
INSERT INTO fleet.Vehicles SELECT i, ['Electric', 'Diesel'][1 + i % 2],
  DATE '2021-01-01' + INTERVAL (i * 60) DAY FROM range(1, 21) t(i);
INSERT INTO fleet.ServiceRecords SELECT i, 1 + i % 17,
  ['Battery replacement', 'Tyre change', 'Inspection'][1 + i % 3],
  DATE '2022-01-01' + INTERVAL (i * 19) DAY FROM range(1, 61) t(i);
"""

SNAKE = """
CREATE SCHEMA clinic;
CREATE TABLE clinic.patients (id BIGINT, name VARCHAR, sex VARCHAR, registered_at DATE);
CREATE TABLE clinic.visits (id BIGINT, patient_id BIGINT, reason VARCHAR, visit_date DATE);
INSERT INTO clinic.patients SELECT i, 'P' || i, ['F', 'M'][1 + i % 2],
  DATE '2021-01-01' + INTERVAL (i * 30) DAY FROM range(1, 41) t(i);
INSERT INTO clinic.visits SELECT i, 1 + i % 37, ['Flu shot', 'Checkup', 'Injury'][1 + i % 3],
  DATE '2022-01-01' + INTERVAL (i * 7) DAY FROM range(1, 201) t(i);
"""

TERSE = """
CREATE SCHEMA ops;
CREATE TABLE ops.acct (acct_id BIGINT, tier VARCHAR, open_dt DATE);
CREATE TABLE ops.tkt (tkt_id BIGINT, acct_id BIGINT, topic VARCHAR, tkt_dt DATE);
INSERT INTO ops.acct SELECT i, ['Gold', 'Basic'][1 + i % 2],
  DATE '2022-01-01' + INTERVAL (i * 45) DAY FROM range(1, 25) t(i);
INSERT INTO ops.tkt SELECT i, 1 + i % 23, ['Billing', 'Outage'][1 + i % 2],
  DATE '2023-01-01' + INTERVAL (i * 11) DAY FROM range(1, 81) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("fleet", PASCAL), ("clinic", SNAKE), ("ops", TERSE))}


@pytest.mark.parametrize(("db", "question", "query"), [
    ("fleet", "How many different electric vehicles had a battery replacement in 2024?",
     "SELECT COUNT(DISTINCT v.VehicleId) FROM fleet.Vehicles v JOIN fleet.ServiceRecords s "
     "ON s.VehicleId = v.VehicleId WHERE v.VehicleType = 'Electric' "
     "AND s.Work = 'Battery replacement' AND YEAR(s.ServiceDate) = 2024"),
    ("fleet", "Which vehicles had a tyre change in 2023?",
     "SELECT DISTINCT v.VehicleId FROM fleet.Vehicles v JOIN fleet.ServiceRecords s "
     "ON s.VehicleId = v.VehicleId WHERE s.Work = 'Tyre change' AND YEAR(s.ServiceDate) = 2023"),
    ("clinic", "How many female patients had a checkup in 2024?",
     "SELECT COUNT(DISTINCT p.id) FROM clinic.patients p JOIN clinic.visits v "
     "ON v.patient_id = p.id WHERE p.sex = 'F' AND v.reason = 'Checkup' "
     "AND YEAR(v.visit_date) = 2024"),
    ("clinic", "How many patients registered in 2023 had a flu shot?",  # their own date
     "SELECT COUNT(DISTINCT p.id) FROM clinic.patients p JOIN clinic.visits v "
     "ON v.patient_id = p.id WHERE v.reason = 'Flu shot' AND YEAR(p.registered_at) = 2023"),
    ("ops", "How many gold accounts had an outage in 2024?",
     "SELECT COUNT(DISTINCT a.acct_id) FROM ops.acct a JOIN ops.tkt t ON t.acct_id = a.acct_id "
     "WHERE a.tier = 'Gold' AND t.topic = 'Outage' AND YEAR(t.tkt_dt) = 2024"),
])
def test_the_date_after_the_event_filters_the_events_date(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)


def test_the_interpretation_names_the_events_date(dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["clinic"], "How many patients had a flu shot in 2023?")

    assert answer.answered, answer.answer
    assert "visit date in 2023" in answer.answer
    assert "registered" not in answer.answer


@pytest.mark.parametrize(("db", "question"), [
    ("clinic", "How many female patients in 2024 had a checkup?"),  # the patients' 2024?
    ("fleet", "How many electric vehicles in 2023 had a tyre change?"),
])
def test_a_date_next_to_the_subject_is_declined(dbs: dict[str, Path], db: str,
                                                question: str) -> None:
    answer = ask_db(dbs[db], question)

    assert not answer.answered, answer.sql
    assert "dates are about" in answer.answer
