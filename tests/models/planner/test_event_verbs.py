"""A verb naming the event a related table's date records names that table in a set
condition ("members who never borrowed anything": loans.borrowed_on), end to end through
the Agent on DuckDB in two naming styles; a verb with another word after it is not read
so, and the question stays declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA lib;
CREATE TABLE lib.members (member_id BIGINT, name VARCHAR);
CREATE TABLE lib.loans (loan_id BIGINT, member_id BIGINT, borrowed_on DATE);
INSERT INTO lib.members SELECT i, 'M' || i FROM range(1, 8) t(i);
INSERT INTO lib.loans SELECT i, 1 + i % 5, DATE '2023-01-01' + INTERVAL (i * 9) DAY
  FROM range(1, 30) t(i);
"""

PASCAL = """
CREATE SCHEMA depot;
CREATE TABLE depot.Warehouses (WarehouseId BIGINT, Name VARCHAR);
CREATE TABLE depot.Consignments (ConsignmentId BIGINT, WarehouseId BIGINT, ShippedAt TIMESTAMP);
INSERT INTO depot.Warehouses SELECT i, 'W' || i FROM range(1, 9) t(i);
INSERT INTO depot.Consignments SELECT i, 1 + i % 6, TIMESTAMP '2024-01-01' + INTERVAL (i) DAY
  FROM range(1, 40) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("lib", SNAKE), ("depot", PASCAL))}


@pytest.mark.parametrize(("db", "question", "query"), [
    ("lib", "How many members have never borrowed anything?",
     "SELECT COUNT(*) FROM lib.members WHERE member_id NOT IN (SELECT member_id FROM lib.loans)"),
    ("depot", "Which warehouses have never shipped anything?",
     "SELECT Name FROM depot.Warehouses WHERE WarehouseId NOT IN "
     "(SELECT WarehouseId FROM depot.Consignments)"),
])
def test_the_event_verb_names_the_related_rows(dbs: dict[str, Path], db: str, question: str,
                                               query: str) -> None:
    assert_answers_like(dbs[db], question, query)


def test_the_interpretation_names_the_related_table(dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["depot"], "Which warehouses have never shipped anything?")

    assert answer.interpretation is not None
    assert "no consignments" in " ".join(answer.interpretation.filters)


@pytest.mark.parametrize(("db", "question"), [
    ("lib", "Which members never borrowed a book?"),  # no books here: 'book' unexplained
    ("depot", "Which warehouses never shipped a pallet?"),
])
def test_an_event_verb_with_more_words_is_declined(dbs: dict[str, Path], db: str,
                                                   question: str) -> None:
    answer = ask_db(dbs[db], question)

    assert not answer.answered, answer.sql
