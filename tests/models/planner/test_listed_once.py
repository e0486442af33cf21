"""A listing of the subject's rows filtered through rows it has many of ("Which products were
returned in 2024?") lists each row once (EXISTS), not once per matching related row; it had
listed a product returned twice twice. Pairs read from a relation verb still repeat
(test_relations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE_SQL = """
CREATE SCHEMA store;
CREATE TABLE store.gadgets (id BIGINT, gadget_name VARCHAR, colour VARCHAR);
CREATE TABLE store.sale_lines (id BIGINT, gadget_id BIGINT, sold_on DATE, refunded_on DATE);
INSERT INTO store.gadgets SELECT i, 'G' || i, ['red', 'blue'][1 + i % 2] FROM range(1, 11) t(i);
INSERT INTO store.sale_lines SELECT i, 1 + i % 4, DATE '2023-01-01' + INTERVAL (i * 20) DAY,
    CASE WHEN i % 3 = 0 THEN DATE '2023-03-01' + INTERVAL (i * 20) DAY END FROM range(1, 40) t(i);
"""

CAMEL_SQL = """
CREATE SCHEMA hall;
CREATE TABLE hall.Venue (VenueId BIGINT, VenueName VARCHAR);
CREATE TABLE hall.Concert (ConcertId BIGINT, VenueId BIGINT, Genre VARCHAR, PlayedOn DATE);
INSERT INTO hall.Venue SELECT i, 'V' || i FROM range(1, 9) t(i);
INSERT INTO hall.Concert SELECT i, 1 + i % 3, ['Jazz', 'Rock'][1 + i % 2],
    DATE '2022-06-01' + INTERVAL (i * 30) DAY FROM range(1, 40) t(i);
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE_SQL)


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CAMEL_SQL)


def test_rows_filtered_through_many_related_rows_are_listed_once(store: Path, hall: Path) -> None:
    assert_answers_like(store, "Which gadgets were refunded in 2024?",
                        "SELECT gadget_name FROM store.gadgets g WHERE EXISTS (SELECT 1 FROM "
                        "store.sale_lines s WHERE s.gadget_id = g.id "
                        "AND EXTRACT(YEAR FROM s.refunded_on) = 2024)")
    assert_answers_like(hall, "Which venues had Jazz concerts?",
                        "SELECT VenueName FROM hall.Venue v WHERE EXISTS (SELECT 1 FROM "
                        "hall.Concert c WHERE c.VenueId = v.VenueId AND c.Genre = 'Jazz')")


@pytest.mark.parametrize("db, question", [
    ("store", "Which gadgets were refunded in 2024?"),
    ("hall", "Which venues had Jazz concerts?"),
])
def test_each_listed_row_appears_once(db: str, question: str,
                                      request: pytest.FixtureRequest) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert answer.answered, answer.answer
    assert answer.rows and len(answer.rows) == len({tuple(r) for r in answer.rows}), answer.sql
    assert answer.interpretation is not None
    assert any("has some" in f for f in answer.interpretation.filters), answer.interpretation
