"""Rows grouped by a table with no name column are shown with their key: labelling them by
the first text column alone ("Roadster", "Roadster") hides which row is which and does not
answer "top 2 machines"; a table with a name column is shown by its name only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

PLANT = """
CREATE SCHEMA plant;
CREATE TABLE plant.Machines (MachineId BIGINT PRIMARY KEY, Model VARCHAR);
CREATE TABLE plant.Sites (SiteId BIGINT PRIMARY KEY, SiteName VARCHAR);
CREATE TABLE plant.Repairs (RepairId BIGINT, MachineId BIGINT REFERENCES plant.Machines,
                            SiteId BIGINT REFERENCES plant.Sites, Cost DOUBLE);
INSERT INTO plant.Machines VALUES (1, 'Lathe X'), (2, 'Lathe X'), (3, 'Press 9');
INSERT INTO plant.Sites VALUES (1, 'North'), (2, 'South');
INSERT INTO plant.Repairs VALUES (1, 1, 1, 100), (2, 2, 1, 300), (3, 3, 2, 50), (4, 1, 2, 120);
"""


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, PLANT)


def test_rows_without_a_name_column_show_their_key(plant: Path) -> None:
    answer = ask_db(plant, "Top 2 machines by total repair cost")

    assert answer.answered, answer.answer
    assert [r[0] for r in answer.rows] == [2, 1], answer.sql  # two "Lathe X", told apart
    assert [r[-1] for r in answer.rows] == [300, 220]


def test_rows_with_a_name_column_show_the_name_only(plant: Path) -> None:
    answer = ask_db(plant, "Total repair cost by site")

    assert answer.answered, answer.answer
    assert sorted(map(tuple, answer.rows)) == [("North", 400), ("South", 170)], answer.sql
