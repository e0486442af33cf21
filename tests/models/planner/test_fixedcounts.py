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
