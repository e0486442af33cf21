"""The answer's words count the result's rows, not the first 30 the model is sent: a listing
of 45 rows said "30 members: ..." and a breakdown of 43 groups "(and 25 more)"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

SNAKE_SQL = """
CREATE SCHEMA gym;
CREATE TABLE gym.members (id BIGINT, full_name VARCHAR, plan VARCHAR);
CREATE TABLE gym.visits (id BIGINT, member_id BIGINT, minutes INTEGER);
INSERT INTO gym.members SELECT i, 'M' || i, ['basic', 'gold'][1 + i % 2] FROM range(1, 46) t(i);
INSERT INTO gym.visits SELECT i, 1 + i % 45, 30 + i % 50 FROM range(1, 200) t(i);
"""

CAMEL_SQL = """
CREATE SCHEMA fleet;
CREATE TABLE fleet.Driver (DriverId BIGINT, DriverName VARCHAR, Licence VARCHAR);
CREATE TABLE fleet.Trip (TripId BIGINT, DriverId BIGINT, Distance DOUBLE);
INSERT INTO fleet.Driver SELECT i, 'D' || i, ['B', 'C'][1 + i % 2] FROM range(1, 46) t(i);
INSERT INTO fleet.Trip SELECT i, 1 + i % 45, i * 1.5 FROM range(1, 200) t(i);
"""


@pytest.fixture(scope="module")
def gym(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE_SQL)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CAMEL_SQL)


@pytest.mark.parametrize("db, question, said", [
    ("gym", "List the members", "45 members: "),
    ("fleet", "List the drivers", "45 drivers: "),
])
def test_a_listing_counts_all_its_rows(db: str, question: str, said: str,
                                       request: pytest.FixtureRequest) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert answer.answered, answer.answer
    assert len(answer.rows) == 45, answer.sql
    assert answer.answer.startswith(said), answer.answer
    assert "and 35 more" in answer.answer, answer.answer


@pytest.mark.parametrize("db, question", [
    ("gym", "How many visits does each member have?"),
    ("fleet", "How many trips does each driver have?"),
])
def test_a_breakdown_counts_all_its_groups(db: str, question: str,
                                           request: pytest.FixtureRequest) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert answer.answered, answer.answer
    assert len(answer.rows) == 45, answer.sql
    assert "(and 40 more)" in answer.answer, answer.answer
