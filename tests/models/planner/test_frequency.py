"""How often a verb happened, counted as the related rows the verb names: "patients who
visited more than once" keeps the patients with more than one visit row, never a
comparison of a number column (age) with 1; a verb naming no table, or no comparison,
stays declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

CLINIC = """
CREATE SCHEMA care;
CREATE TABLE care.patients (id BIGINT, name VARCHAR, age INTEGER);
CREATE TABLE care.visits (id BIGINT, patient_id BIGINT, visited_on DATE);
CREATE TABLE care.visit_notes (id BIGINT, visit_id BIGINT, body VARCHAR);
INSERT INTO care.patients SELECT i, 'P' || i, 1 + i % 4 FROM range(1, 21) t(i);
INSERT INTO care.visits SELECT i, 1 + (i * i) % 17, DATE '2023-01-01' + INTERVAL (i * 11) DAY
  FROM range(1, 46) t(i);
INSERT INTO care.visit_notes SELECT i, 1 + i % 45, 'n' FROM range(1, 31) t(i);
"""


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CLINIC)


def _having(op: str, n: int, year: str = "") -> str:
    dated = f" AND EXTRACT(YEAR FROM v.visited_on) = {year}" if year else ""
    return (f"SELECT COUNT(*) FROM care.patients p WHERE (SELECT COUNT(*) FROM care.visits v "
            f"WHERE v.patient_id = p.id{dated}) {op} {n}")


@pytest.mark.parametrize(("question", "query"), [
    ("How many patients visited more than once?", _having(">", 1)),
    ("How many patients visited at least twice?", _having(">=", 2)),
    ("How many patients visited at least 3 times?", _having(">=", 3)),
    ("How many patients visited fewer than four times?", _having("<", 4)),
    ("How many patients visited at least 2 times in 2023?", _having(">=", 2, "2023")),
])
def test_times_count_the_rows_the_verb_names(clinic: Path, question: str, query: str) -> None:
    assert_answers_like(clinic, question, query)


@pytest.mark.parametrize("question", [
    "How many patients paid more than once?",  # no table of payments
    "How many patients visited twice?",  # exactly, or at least, twice?
])
def test_unread_frequencies_stay_declined(clinic: Path, question: str) -> None:
    answer = ask_db(clinic, question)
    assert not answer.answered, answer.sql
