"""Questions asking when, end to end through the Agent on DuckDB: the date column a word
names (also a text column named ...date), the row's own date for "when was it released",
the latest or earliest row for "the last/first X"; declined when two date columns could
be meant and no word says which."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

PRESS = """
CREATE SCHEMA press;
CREATE TABLE press.shows (show_id BIGINT, title VARCHAR, broadcast_date VARCHAR);
CREATE TABLE press.bulletins (bulletin_id BIGINT, headline VARCHAR, bulletin_date TIMESTAMP);
CREATE TABLE press.staff (staff_id BIGINT, full_name VARCHAR, hire_date DATE, exit_date DATE,
                          birth_year INTEGER);
CREATE TABLE press.venues (venue_id BIGINT, name VARCHAR, open_year INTEGER, seats INTEGER);
INSERT INTO press.venues VALUES (1, 'Dome', 1990, 500), (2, 'Hall', 2004, 80);
INSERT INTO press.shows VALUES (1, 'Morning Run', 'May 3, 2001'), (2, 'Late Call', 'June 9, 2004');
INSERT INTO press.bulletins VALUES (1, 'Floods', TIMESTAMP '2020-01-05 08:00:00'),
  (2, 'Storms', TIMESTAMP '2021-03-01 09:30:00'), (3, 'Heat', TIMESTAMP '2019-07-20 12:00:00');
INSERT INTO press.staff VALUES (1, 'Ana Ruiz', DATE '2015-02-01', DATE '2019-05-01', 1980),
  (2, 'Bo Chan', DATE '2017-08-15', NULL, 1975);
CREATE MACRO iso(t) AS strftime(t, '%Y-%m-%dT%H:%M:%S');
"""
# answers carry times as ISO text (JSON-safe); a macro writes the gold the same way
ISO = "iso"


@pytest.fixture(scope="module")
def press(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, PRESS)


@pytest.mark.parametrize(("question", "query"), [
    ("When did the show 'Late Call' broadcast?",
     "SELECT broadcast_date FROM press.shows WHERE title = 'Late Call'"),
    ("When was the bulletin 'Floods' released?",
     f"SELECT {ISO}(bulletin_date) FROM press.bulletins WHERE headline = 'Floods'"),
    ("When was the last bulletin released?",
     f"SELECT {ISO}(max(bulletin_date)) FROM press.bulletins"),
    ("When was the first bulletin published?",
     f"SELECT {ISO}(min(bulletin_date)) FROM press.bulletins"),
    ("When was Ana Ruiz hired?",
     "SELECT CAST(hire_date AS VARCHAR) FROM press.staff WHERE full_name = 'Ana Ruiz'"),
    ("When was Bo Chan born?", "SELECT birth_year FROM press.staff WHERE full_name = 'Bo Chan'"),
    ("In which year did the venue Hall open?",
     "SELECT open_year FROM press.venues WHERE name = 'Hall'"),
])
def test_when_asks_for_the_date_column(press: Path, question: str, query: str) -> None:
    assert_answers_like(press, question, query)


@pytest.mark.parametrize("question", [
    "When did Bo Chan start?",  # hire, exit or birth: no word says which
    "In which year did the venue Hall close?",  # the year it opened is not its closing
])
def test_when_no_word_names_the_date_column_declines(press: Path, question: str) -> None:
    answer = ask_db(press, question)
    assert not answer.answered, answer.sql


@pytest.mark.parametrize(("question", "query"), [
    ("Who was the first staff to be hired? List the full name.",
     "SELECT CAST(hire_date AS VARCHAR) FROM press.staff ORDER BY hire_date LIMIT 1"),
    ("What is the full name of the last staff to exit?",
     "SELECT full_name, CAST(exit_date AS VARCHAR) FROM press.staff WHERE exit_date IS NOT NULL "
     "ORDER BY exit_date DESC LIMIT 1"),
])
def test_the_first_to_verb_ranks_by_the_date_the_verb_names(press: Path, question: str,
                                                            query: str) -> None:
    assert_answers_like(press, question, query)


def test_when_with_the_date_listed_after_the_question(press: Path) -> None:
    assert_answers_like(press, "When was the first bulletin released? List the headline and date.",
                        f"SELECT headline, {ISO}(bulletin_date) FROM press.bulletins "
                        "ORDER BY bulletin_date LIMIT 1")
