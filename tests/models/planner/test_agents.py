"""Agent nouns for columns named for who did something: "directors" is read as the
column Directed_by, "writers" as WrittenBy, "creator" as created_by; a table of that
name keeps the word, and a noun fitting no participle stays unread (declined)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

SNAKE_SQL = """
CREATE SCHEMA media;
CREATE TABLE media.films (id BIGINT, title VARCHAR, directed_by VARCHAR, release_year BIGINT);
INSERT INTO media.films VALUES (1, 'Harbour', 'Ann Lee', 2001), (2, 'Meadow', 'Bo Park', 1999),
  (3, 'Quarry', 'Ann Lee', 2005), (4, 'Drift', 'Cy Moss', 2010);
"""

CAMEL_SQL = """
CREATE SCHEMA lib;
CREATE TABLE lib.Articles (ArticleId BIGINT, Headline VARCHAR, WrittenBy VARCHAR,
  CreatedBy VARCHAR, WordCount BIGINT);
INSERT INTO lib.Articles VALUES (1, 'Tides', 'Dee Ray', 'Ed Fox', 900),
  (2, 'Stones', 'Eli Orr', 'Ed Fox', 400), (3, 'Winds', 'Dee Ray', 'Flo Gun', 700);
"""

TABLE_SQL = """
CREATE SCHEMA studio;
CREATE TABLE studio.directors (id BIGINT, name VARCHAR);
INSERT INTO studio.directors VALUES (1, 'Ann Lee'), (2, 'Bo Park');
CREATE TABLE studio.films (id BIGINT, title VARCHAR, directed_by VARCHAR);
INSERT INTO studio.films VALUES (1, 'Harbour', 'Zed Quin'), (2, 'Meadow', 'Zed Quin');
"""


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE_SQL)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CAMEL_SQL)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, TABLE_SQL)


def test_directors_are_read_as_the_directed_by_column(films: Path) -> None:
    answer = ask_db(films, "list all film titles and their directors ordered by release year")
    assert answer.answered, answer.answer
    assert [r[:2] for r in answer.rows] == [["Meadow", "Bo Park"], ["Harbour", "Ann Lee"],
                                           ["Quarry", "Ann Lee"], ["Drift", "Cy Moss"]]
    assert answer.interpretation is not None
    assert "read 'directors' as 'directed by'" in answer.interpretation.summary


def test_how_many_films_per_director(films: Path) -> None:
    answer = ask_db(films, "How many films are there for each director?")
    assert answer.answered, answer.answer
    assert sorted(answer.rows) == [["Ann Lee", 2], ["Bo Park", 1], ["Cy Moss", 1]]


@pytest.mark.parametrize(("question", "rows"), [
    ("What are the headlines and writers of all articles?",
     [["Stones", "Eli Orr"], ["Tides", "Dee Ray"], ["Winds", "Dee Ray"]]),
    ("What is the headline and creator of each article with a word count above 500?",
     [["Tides", "Ed Fox"], ["Winds", "Flo Gun"]]),
])
def test_agent_nouns_on_camel_case_doer_columns(articles: Path, question: str,
                                                rows: list[list[str]]) -> None:
    answer = ask_db(articles, question)
    assert answer.answered, answer.answer
    assert sorted(r[:2] for r in answer.rows) == rows, answer.sql


def test_a_table_named_by_the_noun_keeps_it(studio: Path) -> None:
    answer = ask_db(studio, "How many directors are there?")
    assert answer.answered, answer.answer
    assert answer.rows == [[2]]  # the directors table, not the films' directed_by values


def test_a_noun_of_no_participle_is_not_read_as_a_doer(articles: Path) -> None:
    answer = ask_db(articles, "What are the headlines and editors of all articles?")
    assert not answer.answered
