"""A count that names values of what it counts ("How many F grades?") counts the rows
holding them; without such values, different values are still counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

EXAMS_SQL = """
CREATE SCHEMA exams;
CREATE TABLE exams.exam_result (result_id INTEGER, student VARCHAR, subject VARCHAR,
  grade VARCHAR, score INTEGER);
INSERT INTO exams.exam_result SELECT i, 'S' || (i % 20), ['Maths', 'History'][1 + i % 2],
  ['A', 'B', 'C', 'D', 'F'][1 + i % 5], 40 + i % 60 FROM range(1, 101) t(i);
"""


@pytest.fixture(scope="module")
def exams_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, EXAMS_SQL)


@pytest.mark.parametrize("question", ["How many F grades are there?", "How many grades are F?"])
def test_a_count_of_a_named_value_counts_its_rows(exams_db: Path, question: str) -> None:
    assert_answers_like(exams_db, question,
                        "SELECT COUNT(*) FROM exams.exam_result WHERE grade = 'F'")

    answer = ask_db(exams_db, question)
    assert answer.interpretation is not None
    assert "DISTINCT" not in answer.interpretation.definition


def test_different_values_are_still_counted_when_none_is_named(exams_db: Path) -> None:
    assert_answers_like(exams_db, "How many different grades are there?",
                        "SELECT COUNT(DISTINCT grade) FROM exams.exam_result")


# A count kept per row, tersely named: each catch records how many fish it holds
CATCH_SQL = """
CREATE SCHEMA angling;
CREATE TABLE angling.catch (catch_id INTEGER, lake_nm VARCHAR, fish_cnt INTEGER,
  catch_dt DATE);
INSERT INTO angling.catch SELECT i, ['Loch Ard', 'Windermere'][1 + i % 2], 1 + i % 4,
  DATE '2023-06-01' + CAST(i * 9 AS INTEGER) FROM range(1, 61) t(i);
"""


@pytest.fixture(scope="module")
def catch_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CATCH_SQL)


def test_how_many_adds_up_a_count_kept_per_row(catch_db: Path) -> None:
    assert_answers_like(catch_db, "How many fish per lake?",
                        "SELECT lake_nm, SUM(fish_cnt) FROM angling.catch GROUP BY 1")
    assert_answers_like(catch_db, "total number of fish in 2024",
                        "SELECT SUM(fish_cnt) FROM angling.catch "
                        "WHERE EXTRACT(YEAR FROM catch_dt) = 2024")


def test_different_counts_are_counted_when_asked(catch_db: Path) -> None:
    assert_answers_like(catch_db, "How many different fish counts are there?",
                        "SELECT COUNT(DISTINCT fish_cnt) FROM angling.catch")


REVIEWS_SQL = """
CREATE SCHEMA rev;
CREATE TABLE rev.hotel_review (review_id INTEGER, hotel VARCHAR, stars INTEGER,
  score INTEGER);
INSERT INTO rev.hotel_review SELECT i, ['Ritz', 'Savoy'][1 + i % 2], 1 + i % 5, 50 + i
  FROM range(1, 41) t(i);
"""


@pytest.fixture(scope="module")
def reviews_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, REVIEWS_SQL)


@pytest.mark.parametrize("question", ["How many 5-star hotel reviews are there?",
                                      "How many hotel reviews have 5 stars?"])
def test_a_number_said_before_a_numeric_column_is_its_value(reviews_db: Path,
                                                            question: str) -> None:
    assert_answers_like(reviews_db, question,
                        "SELECT COUNT(*) FROM rev.hotel_review WHERE stars = 5")

