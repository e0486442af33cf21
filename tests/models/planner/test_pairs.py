"""Columns of two related tables listed side by side, end to end through the Agent on
DuckDB: the subject's columns and, after "and", columns of the table each subject row
points at, one row per subject row."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import assert_answers_like, make_db

STUDIO = """
CREATE SCHEMA studio;
CREATE TABLE studio.artists (artist_id BIGINT, name VARCHAR, country VARCHAR);
CREATE TABLE studio.tracks (track_id BIGINT, artist_id BIGINT, title VARCHAR, seconds INTEGER);
INSERT INTO studio.artists VALUES (1, 'Ola', 'Norway'), (2, 'Mia', 'Chile'), (3, 'Tor', 'Peru');
INSERT INTO studio.tracks VALUES (1, 1, 'Rain', 200), (2, 1, 'Snow', 180), (3, 2, 'Sun', 240),
  (4, 3, 'Wind', 150), (5, 2, 'Dust', 210);
"""


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, STUDIO)


@pytest.mark.parametrize("question", [
    "Show titles of tracks and names of artists.",
    "What are the track titles and artist names?",
])
def test_columns_of_the_pointed_at_table_are_listed_beside_each_row(studio: Path,
                                                                      question: str) -> None:
    assert_answers_like(studio, question, "SELECT t.title, a.name FROM studio.tracks t "
                                          "JOIN studio.artists a USING (artist_id)")
