"""Helpers for the planner's tests: DuckDB files of our own invention and an agent."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nl2sql.agent import Agent
from nl2sql.answer import Answer
from nl2sql.config import Settings
from nl2sql.models.offline import OfflinePlanner
from nl2sql.warehouse.duckdb import DuckDBWarehouse


def make_db(factory: pytest.TempPathFactory, sql: str) -> Path:
    path = factory.mktemp("planner") / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute(sql)
    con.close()
    return path


def ask_db(path: Path, question: str) -> Answer:
    wh = DuckDBWarehouse(path)
    try:
        return Agent(OfflinePlanner(), wh, Settings()).ask(question)[0]
    finally:
        wh.close()


def gold(path: Path, query: str) -> list[list[object]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [list(r) for r in con.execute(query).fetchall()]
    finally:
        con.close()


def assert_answers_like(path: Path, question: str, query: str) -> None:
    """The planner's answer holds the rows of a hand-written query (its last columns, when
    the answer shows labels before them), and that query picks something out."""
    answer = ask_db(path, question)
    assert answer.answered, answer.answer
    want = gold(path, query)
    got = [r[-len(want[0]):] if want and len(r) > len(want[0]) else r for r in answer.rows]
    assert sorted(got, key=str) == sorted(want, key=str), answer.sql
    assert want and want != [[0]], "the hand-written query must pick something out"
