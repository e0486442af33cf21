"""A range of numbers said with "to" where the words say what is measured ("aged 18 to
24", "aged from 18 to 24", "aged between 18 and 24", "cost 5 to 9 dollars") includes both
ends, end to end through the Agent on DuckDB, on two naming styles; a bare "1 to 5" with
nothing saying what it measures is not read as a range."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner import parse as P
from tests.models.planner.conftest import ask_db, gold, make_db

CLUB = """
CREATE SCHEMA club;
CREATE TABLE club.members (id BIGINT, name VARCHAR, age BIGINT, town VARCHAR);
INSERT INTO club.members SELECT i, 'M' || i, 10 + i % 50, ['Ely', 'Bath'][1 + i % 2]
  FROM range(1, 200) t(i);
"""
SHOP = """
CREATE SCHEMA market;
CREATE TABLE market.Articles (ArticleId BIGINT, ArticleName VARCHAR, UnitPrice DOUBLE);
INSERT INTO market.Articles SELECT i, 'A' || i, i % 13 FROM range(1, 60) t(i);
"""


@pytest.fixture(scope="module")
def club(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CLUB)


@pytest.mark.parametrize("question", [
    "How many members aged 18 to 24 live in Bath?",
    "How many members aged from 18 to 24 live in Bath?",
    "How many members aged between 18 and 24 live in Bath?",
])
def test_an_age_range_includes_both_ends(club: Path, question: str) -> None:
    a = ask_db(club, question)
    want = gold(club, "SELECT COUNT(*) FROM club.members WHERE age BETWEEN 18 AND 24 "
                      "AND town = 'Bath'")
    assert a.answered and a.rows == want and want != [[0]], a.answer
    assert a.interpretation is not None
    assert "at least 18" in a.interpretation.summary and "at most 24" in a.interpretation.summary


def test_a_price_range_includes_both_ends(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, SHOP)
    a = ask_db(db, "How many articles cost 5 to 9 dollars?")
    want = gold(db, "SELECT COUNT(*) FROM market.Articles WHERE UnitPrice BETWEEN 5 AND 9")
    assert a.answered and a.rows == want and want != [[0]], a.answer


def test_numbers_with_to_and_no_measure_are_no_range() -> None:
    assert P.parse("How many members are in rows 1 to 5?").comparisons == []
    assert P.parse("members aged 24 to 18").comparisons[:1] != [P.parse(
        "members aged 18 to 24").comparisons[0]]  # a range runs upwards
