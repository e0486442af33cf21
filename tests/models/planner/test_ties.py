"""Ties at a ranking's cut-off, end to end through the Agent on DuckDB: a top-n whose
n-th row shares its value with rows after it declines and names who ties, instead of
picking among them by spelling; clear winners and questions that ask only for the ranked
value still answer, and the SQL shown is the ranking query, not the probe."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, gold, make_db

SQL = """
CREATE SCHEMA club;
CREATE TABLE club.members (id BIGINT, name VARCHAR, hometown VARCHAR, age INTEGER);
CREATE TABLE club.Likes (LikeId BIGINT, MemberId BIGINT, Topic VARCHAR);
-- hometowns: Oslo 2, Rome 2, Lima 1 (a tie for the most common)
-- ages: 40 twice (a tie for the oldest), 19 once (a clear youngest)
INSERT INTO club.members VALUES (1, 'Ann', 'Oslo', 40), (2, 'Bob', 'Rome', 40),
  (3, 'Cy', 'Oslo', 19), (4, 'Di', 'Rome', 33), (5, 'Ed', 'Lima', 27);
-- likes per member: Ann 3, Bob 1, Cy 1, Di 1 (a clear top; ties for the next places)
INSERT INTO club.Likes SELECT i, [1, 1, 1, 2, 3, 4][i], 'T' || i FROM range(1, 7) t(i);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize("question, tied", [
    ("What is the most common hometown of members?", {"Oslo", "Rome"}),
    ("Which member is the oldest?", {"Ann", "Bob"}),
])
def test_a_tie_at_the_cut_off_declines_naming_who_ties(db: Path, question: str,
                                                       tied: set[str]) -> None:
    a = ask_db(db, question)
    assert not a.answered, a.answer
    assert "tie" in a.answer
    for name in tied:
        assert name in a.answer
    # what it would have picked by spelling is not presented as the answer
    assert not a.rows


def test_a_clear_winner_still_answers_with_the_ranking_query(db: Path) -> None:
    a = ask_db(db, "Which member is the youngest?")
    assert a.answered, a.answer
    assert a.rows and a.rows[0][0] == "Cy"
    assert a.sql is not None and "nl2sql_rank_key" not in a.sql  # the probe is not shown
    assert "LIMIT 1" in a.sql


def test_a_top_n_whose_last_place_ties_declines(db: Path) -> None:
    a = ask_db(db, "Top 2 members by number of likes")
    assert not a.answered, a.answer
    assert "ask for the top 4" in a.answer  # Bob, Cy, Di share second place


def test_a_top_n_cut_between_different_values_answers(db: Path) -> None:
    a = ask_db(db, "Top 1 member by number of likes")
    assert a.answered, a.answer
    assert [r[0] for r in a.rows] == ["Ann"]


def test_asking_only_for_the_ranked_value_answers_despite_the_tie(db: Path) -> None:
    a = ask_db(db, "What is the age of the oldest member?")
    assert a.answered, a.answer
    assert any(40 in r for r in a.rows)
    assert gold(db, "SELECT max(age) FROM club.members") == [[40]]

