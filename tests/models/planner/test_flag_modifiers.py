"""A yes/no column said before the subject's name in a listing ("List the electric vans")
keeps the rows whose flag holds, shown by their labels; it had listed the flag of every row
("no; no; yes; ..."). BOOLEAN and 'Y'/'N' text flags alike; a column that is not a flag
is still what is listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

FLEET_SQL = """
CREATE SCHEMA fleet;
CREATE TABLE fleet.vans (id BIGINT, plate VARCHAR, is_electric BOOLEAN, leased_flag VARCHAR,
    colour VARCHAR, in_service_date DATE);
CREATE TABLE fleet.inspections (id BIGINT, van_id BIGINT, inspected_on DATE, result VARCHAR);
INSERT INTO fleet.vans SELECT i, 'P-' || i, i % 3 = 0, CASE WHEN i % 2 = 0 THEN 'Y' ELSE 'N' END,
    ['red', 'white'][1 + i % 2], DATE '2019-01-01' + INTERVAL (i * 90) DAY FROM range(1, 25) t(i);
INSERT INTO fleet.inspections SELECT i, 1 + i % 40, DATE '2023-06-01' + INTERVAL (i * 11) DAY,
    ['pass', 'fail'][1 + i % 2] FROM range(1, 60) t(i);
"""


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, FLEET_SQL)


@pytest.mark.parametrize("question", ["List the electric vans", "Which electric vans are there?"])
def test_a_flag_before_the_noun_keeps_the_rows_where_it_holds(fleet: Path, question: str) -> None:
    assert_answers_like(fleet, question, "SELECT plate FROM fleet.vans WHERE is_electric")


def test_a_text_flag_before_the_noun_keeps_its_yes_rows(fleet: Path) -> None:
    assert_answers_like(fleet, "List the leased vans",
                        "SELECT plate FROM fleet.vans WHERE leased_flag = 'Y'")


def test_the_flag_and_a_related_rows_condition_both_hold(fleet: Path) -> None:
    assert_answers_like(
        fleet, "Which electric vans had an inspection in 2024?",
        "SELECT plate FROM fleet.vans v WHERE is_electric AND EXISTS (SELECT 1 FROM "
        "fleet.inspections i WHERE i.van_id = v.id AND EXTRACT(YEAR FROM i.inspected_on) = 2024)")


def test_the_flag_is_not_what_is_shown(fleet: Path) -> None:
    answer = ask_db(fleet, "List the electric vans")
    assert answer.answered, answer.answer
    assert all(isinstance(r[0], str) and r[0].startswith("P-") for r in answer.rows), answer.sql
