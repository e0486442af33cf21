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
