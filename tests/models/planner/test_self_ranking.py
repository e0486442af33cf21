"""Groups of a column are never ranked by that same column's maximum or minimum: "at what
hour do the most rides begin" read as MAX(begin time) per hour of the begin time ranks the
hours by themselves, a confident wrong answer; the planner declines instead. A question
that ranks the groups by a count still answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

RIDES = """
CREATE SCHEMA fleet;
CREATE TABLE fleet.Rides (RideId BIGINT, BeginTime TIMESTAMP, Minutes DOUBLE);
INSERT INTO fleet.Rides VALUES (1, '2024-01-01 08:10', 12), (2, '2024-01-01 08:40', 5),
  (3, '2024-01-02 08:05', 7), (4, '2024-01-02 17:20', 30), (5, '2024-01-03 23:50', 9);
"""


@pytest.fixture(scope="module")
def rides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, RIDES)


def test_ranking_buckets_by_their_own_column_declines(rides: Path) -> None:
    answer = ask_db(rides, "At what hour of the day do the most rides begin?")
    # the busiest hour is 8; 23 (the latest begin time) would be the wrong reading
    assert not answer.answered or answer.rows[0][0] == 8, answer.sql
