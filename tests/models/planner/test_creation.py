"""Words for a row coming to be ("new members", "signed up", "signups", "joined") are read
as the table's creation column dating the rows counted; without such dates, or dated by
another column, they are unexplained and the planner declines. Checked on DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SQL = """
CREATE SCHEMA club;
CREATE TABLE club.members (id BIGINT, city VARCHAR, joined_on DATE, last_visit_on DATE);
INSERT INTO club.members SELECT i, CASE WHEN i % 3 = 0 THEN 'Lyon' ELSE 'Nice' END,
  DATE '2022-01-01' + INTERVAL (i * 5) DAY, DATE '2022-03-01' + INTERVAL (i * 4) DAY
  FROM range(1, 400) t(i);
CREATE TABLE club.visits (id BIGINT, member_id BIGINT, visited_at TIMESTAMP);
INSERT INTO club.visits SELECT i, 1 + i % 399, TIMESTAMP '2023-01-01 10:00' + INTERVAL (i) HOUR
  FROM range(1, 900) t(i);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize(("question", "query"), [
    ("How many new members signed up in 2023?",
     "SELECT COUNT(*) FROM club.members WHERE year(joined_on) = 2023"),
    ("How many members signed up in 2024?",
     "SELECT COUNT(*) FROM club.members WHERE year(joined_on) = 2024"),
    ("new member signups per month in 2023",
     "SELECT month(joined_on), COUNT(*) FROM club.members WHERE year(joined_on) = 2023 "
     "GROUP BY 1"),
    ("How many new members signed up each year?",
     "SELECT year(joined_on), COUNT(*) FROM club.members GROUP BY 1"),
])
def test_creation_words_date_rows_by_their_creation_column(db: Path, question: str,
                                                           query: str) -> None:
    assert_answers_like(db, question, query)


@pytest.mark.parametrize("question", [
    "How many new members are there?",  # new since when?
    "How many new visits were there in 2023?",  # dated by when they happened: not created
])
def test_creation_words_without_creation_dates_are_declined(db: Path, question: str) -> None:
    answer = ask_db(db, question)
    assert not answer.answered
    assert "new" in answer.answer
