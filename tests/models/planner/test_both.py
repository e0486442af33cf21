""""Both" is never dropped: "both 2023 and 2024" (each year) and "list both X and Y" (two
columns) are answered, but "at both a coastal and a wetland site" asks for the rows that
meet each value; a filter taking either value would be a confident wrong answer, so the
planner declines and names the word."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SURVEY = """
CREATE SCHEMA survey;
CREATE TABLE survey.sites (site_id BIGINT, site_name VARCHAR, habitat VARCHAR);
CREATE TABLE survey.sightings (sighting_id BIGINT, site_id BIGINT, bird VARCHAR,
                               seen_on DATE);
INSERT INTO survey.sites VALUES (1, 'North Marsh', 'Wetland'), (2, 'Cliff Top', 'Coastal'),
  (3, 'Oak Wood', 'Forest');
INSERT INTO survey.sightings VALUES (1, 1, 'Heron', '2024-03-01'), (2, 2, 'Heron', '2024-03-02'),
  (3, 2, 'Gull', '2024-03-03'), (4, 1, 'Teal', '2024-04-01'), (5, 3, 'Wren', '2024-05-01'),
  (6, 2, 'Gull', '2023-05-01');
"""


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SURVEY)


@pytest.mark.parametrize("question", [
    "Which birds were seen at both a Coastal site and a Wetland site?",
    "List the birds sighted at both Coastal and Wetland sites.",
])
def test_both_values_of_one_column_declines_rather_than_reading_either(
        survey: Path, question: str) -> None:
    answer = ask_db(survey, question)
    assert not answer.answered, answer.sql
    assert "both" in answer.answer


def test_both_before_two_columns_lists_them(survey: Path) -> None:
    assert_answers_like(survey, "List both the site name and the habitat of every site.",
                        "SELECT site_name, habitat FROM survey.sites")
