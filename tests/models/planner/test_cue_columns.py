"""A numeric column named by a cue word ("share", "rank") is what "the maximum share",
"the average rank" mean; "what share of ..." stays a percentage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

SQL = """
CREATE SCHEMA tv;
CREATE TABLE tv.tv_series (series_id BIGINT, episode VARCHAR, rating DOUBLE, share DOUBLE);
INSERT INTO tv.tv_series VALUES (1, 'Pilot', 5.8, 9.0), (2, 'Keepers', 4.4, 5.0),
  (3, 'Drift', 3.0, 7.0);
CREATE SCHEMA league;
CREATE TABLE league.Players (PlayerId BIGINT, PlayerName VARCHAR, Rank BIGINT);
INSERT INTO league.Players VALUES (1, 'Ana', 3), (2, 'Ben', 1), (3, 'Cal', 8);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize(("question", "row"), [
    ("What is the minimum and maximum share of TV series?", [5.0, 9.0]),
    ("What is the maximum and minimum share for the TV series?", [9.0, 5.0]),
    ("What is the average rank of players?", [4.0]),
    ("What is the highest rank of players?", [8]),
])
def test_a_cue_word_after_an_aggregate_names_its_column(db: Path, question: str,
                                                       row: list[float]) -> None:
    answer = ask_db(db, question)
    assert answer.answered, answer.answer
    assert [float(v) for v in answer.rows[0]] == row, answer.sql


def test_what_share_of_rows_stays_a_percentage(db: Path) -> None:
    answer = ask_db(db, "What share of TV series have a rating above 5?")
    assert answer.answered, answer.answer
    assert "(share)" not in (answer.sql or "").lower()  # no aggregate of the column
    assert round(float(answer.rows[0][0]), 2) == 33.33
