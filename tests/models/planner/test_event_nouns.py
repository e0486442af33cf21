"""A column named for an event by its verb (``date_arrived``, ``date_enrolled``) is found
by the noun the question uses for the event ("arrival date", "enrolment date"), end to end
through the Agent on DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import assert_answers_like, make_db

HARBOUR = """
CREATE SCHEMA harbour;
CREATE TABLE harbour.boats (boat_id BIGINT, name VARCHAR, date_arrived DATE, date_departed DATE);
CREATE TABLE harbour.sailors (sailor_id BIGINT, full_name VARCHAR, date_enrolled DATE);
INSERT INTO harbour.boats VALUES (1, 'Orca', DATE '2024-01-02', DATE '2024-01-09'),
  (2, 'Puffin', DATE '2024-02-11', DATE '2024-03-01');
INSERT INTO harbour.sailors VALUES (1, 'Ivo', DATE '2023-05-05'), (2, 'Una', DATE '2022-09-30');
"""


@pytest.fixture(scope="module")
def harbour(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, HARBOUR)


@pytest.mark.parametrize(("question", "query"), [
    ("List the arrival date and the departure date of all boats.",
     "SELECT CAST(date_arrived AS VARCHAR), CAST(date_departed AS VARCHAR) FROM harbour.boats"),
    ("What is the enrolment date of each sailor?",
     "SELECT CAST(date_enrolled AS VARCHAR) FROM harbour.sailors"),
])
def test_the_event_noun_names_the_verb_column(harbour: Path, question: str, query: str) -> None:
    assert_answers_like(harbour, question, query)
