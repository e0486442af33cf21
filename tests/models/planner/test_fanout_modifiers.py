"""A value said right before the subject's name ("premium members") whose column lies across
a one-to-many join from the subject declines: it had counted the members who ever bought a
'Premium' item ("How many active users" read as product category 'Active' two joins away).
A value of the subject's own rows, or of a row the subject points at, is still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.regions (id BIGINT, region_name VARCHAR);
CREATE TABLE shop.members (id BIGINT, full_name VARCHAR, tier VARCHAR, region_id BIGINT);
CREATE TABLE shop.purchases (id BIGINT, member_id BIGINT, item_id BIGINT, amount DOUBLE);
CREATE TABLE shop.items (id BIGINT, item_name VARCHAR, item_line VARCHAR);
INSERT INTO shop.regions VALUES (1, 'Northland'), (2, 'Southland');
INSERT INTO shop.members SELECT i, 'M' || i, ['basic', 'gold'][1 + i % 2], 1 + i % 2
    FROM range(1, 21) t(i);
INSERT INTO shop.items SELECT i, 'I' || i, ['Premium', 'Outlet'][1 + i % 2] FROM range(1, 9) t(i);
INSERT INTO shop.purchases SELECT i, 1 + i % 20, 1 + i % 8, i * 1.5 FROM range(1, 60) t(i);
"""

CAMEL_SQL = """
CREATE SCHEMA club;
CREATE TABLE club.City (CityId BIGINT, CityName VARCHAR);
CREATE TABLE club.Player (PlayerId BIGINT, Name VARCHAR, Level VARCHAR, CityId BIGINT);
CREATE TABLE club.Booking (BookingId BIGINT, PlayerId BIGINT, CourtId BIGINT, Fee DOUBLE);
CREATE TABLE club.Court (CourtId BIGINT, CourtName VARCHAR, Surface VARCHAR);
INSERT INTO club.City VALUES (1, 'Riverton'), (2, 'Hillcrest');
INSERT INTO club.Player SELECT i, 'P' || i, ['novice', 'expert'][1 + i % 2], 1 + i % 2
    FROM range(1, 21) t(i);
INSERT INTO club.Court SELECT i, 'C' || i, ['Clay', 'Grass'][1 + i % 2] FROM range(1, 7) t(i);
INSERT INTO club.Booking SELECT i, 1 + i % 20, 1 + i % 6, i * 2.0 FROM range(1, 50) t(i);
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE_SQL)


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CAMEL_SQL)


@pytest.mark.parametrize("db, question, said", [
    ("shop", "How many premium members are there?", "premium"),
    ("club", "How many clay players are there?", "clay"),
])
def test_a_value_across_many_rows_before_the_subject_declines(
        db: str, question: str, said: str, request: pytest.FixtureRequest) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert not answer.answered, answer.sql
    assert f"'{said}'" in answer.answer


def test_a_value_of_the_subjects_own_rows_is_still_read(shop: Path, club: Path) -> None:
    assert_answers_like(shop, "How many gold members are there?",
                        "SELECT COUNT(*) FROM shop.members WHERE tier = 'gold'")
    assert_answers_like(club, "How many expert players are there?",
                        "SELECT COUNT(*) FROM club.Player WHERE Level = 'expert'")


def test_a_value_of_a_row_the_subject_points_at_is_still_read(shop: Path, club: Path) -> None:
    assert_answers_like(shop, "How many Northland members are there?",
                        "SELECT COUNT(*) FROM shop.members m JOIN shop.regions r "
                        "ON r.id = m.region_id WHERE r.region_name = 'Northland'")
    assert_answers_like(club, "How many Riverton players are there?",
                        "SELECT COUNT(*) FROM club.Player p JOIN club.City c "
                        "ON c.CityId = p.CityId WHERE c.CityName = 'Riverton'")
