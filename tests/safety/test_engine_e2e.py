"""End to end: scripted model -> Agent -> sql_query -> gate -> DuckDB, over a canary file.

Every unsafe case of ``golden/engine.yaml`` must be refused, and the canary
(rows, view definitions, comments, macro bodies, table names and the file
path of datasets that are not allowed) must appear nowhere: not in the
answer, not in a step, not in a log line, not in the state file. Every safe
case must run and return exactly its rows.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml

from nl2sql.agent import Agent
from nl2sql.config import Settings
from nl2sql.errors import Nl2SqlError
from nl2sql.models.scripted import ScriptedModel, calls, text
from nl2sql.state import ConversationStore, StateDB
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.safety.canary import CANARY, build_canary

CASES = yaml.safe_load((Path(__file__).parent / "golden" / "engine.yaml").read_text())
UNSAFE: list[dict[str, Any]] = CASES["unsafe"]
SAFE: list[dict[str, Any]] = CASES["safe"]
SETTINGS = Settings(allowed_datasets=("shop",), max_rows=100)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> DuckDBWarehouse:
    wh = DuckDBWarehouse(build_canary(tmp_path_factory.mktemp("canary")), SETTINGS)
    yield wh
    wh.close()


def ask(warehouse: DuckDBWarehouse, sql: str, tmp_path: Path) -> tuple[Any, str]:
    """Run ``sql`` as the model's one query; return the answer and everything recorded."""
    model = ScriptedModel(calls(("sql_query", {"query": sql})), text("done"))
    answer, conversation = Agent(model, warehouse, SETTINGS).ask("What is in there?")
    store = ConversationStore(StateDB(tmp_path / "state.sqlite3"))
    store.add_turn(None, "tester", conversation, answer.to_dict())
    state = (tmp_path / "state.sqlite3").read_bytes().decode("utf-8", "replace")
    recorded = json.dumps([answer.to_dict(), [m.to_dict() for m in conversation.messages],
                           [r.history and [m.to_dict() for m in r.history]
                            for r in model.requests]], default=str)
    return answer, recorded + state


@pytest.mark.parametrize("case", UNSAFE, ids=[f"{c['class']}-{i}" for i, c in enumerate(UNSAFE)])
def test_unsafe_is_refused_and_leaks_nothing(warehouse: DuckDBWarehouse, case: dict[str, Any],
                                             tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    answer, recorded = ask(warehouse, case["sql"], tmp_path)
    step = answer.steps[0]
    assert not step.ok, f"ran: {case['sql']}"
    assert step.error and "internal error" not in step.error
    assert CANARY not in recorded.lower()
    assert CANARY not in caplog.text.lower()


@pytest.mark.parametrize("case", UNSAFE, ids=[f"{c['class']}-{i}" for i, c in enumerate(UNSAFE)])
def test_the_warehouse_refuses_unsafe_sql_even_without_the_gate(
        warehouse: DuckDBWarehouse, case: dict[str, Any]) -> None:
    """No layer trusts the one before it: DuckDB's own reading of what runs refuses it,
    or what it returns (the warehouse's own INFORMATION_SCHEMA of allowed datasets, say)
    holds nothing of other datasets."""
    try:
        rows = warehouse.query(case["sql"], max_rows=10, timeout_s=10).rows
    except Nl2SqlError as e:
        assert CANARY not in e.message.lower()
    else:
        assert CANARY not in json.dumps(rows, default=str).lower()


@pytest.mark.parametrize("case", SAFE, ids=[f"safe-{i}" for i in range(len(SAFE))])
def test_safe_runs_and_is_correct(warehouse: DuckDBWarehouse, case: dict[str, Any],
                                  tmp_path: Path) -> None:
    answer, recorded = ask(warehouse, case["sql"], tmp_path)
    assert answer.steps[0].ok, answer.steps[0].error
    assert answer.rows == case["rows"]
    assert CANARY not in recorded.lower()


def test_described_tables_show_nothing_of_other_datasets(warehouse: DuckDBWarehouse) -> None:
    """get_table reads examples and a row count: through a view of the allowed dataset
    that selects from another, that reading must pass the same engine check as a query."""
    described = {t.id: warehouse.get_table(t.id) for t in warehouse.list_tables("shop")}
    assert CANARY not in json.dumps([t.to_dict() for t in described.values()]).lower()
    assert described["shop.hr_view"].row_count is None
    # ... while views that read only the allowed dataset are still described in full
    assert described["shop.open_view"].row_count == 4
    examples = {c.name: c.examples for c in described["shop.open_view"].columns}
    assert examples["status"] == ["Complete", "Returned", "Shipped"]


def test_the_canary_is_really_there(tmp_path: Path) -> None:
    """Without the allowlist the same file shows the canary: the tests above mean something."""
    open_settings = Settings(max_rows=100)
    wh = DuckDBWarehouse(build_canary(tmp_path), open_settings)
    try:
        rows = wh.query("SELECT salary FROM hr.salaries", max_rows=5, timeout_s=10).rows
        assert rows == [[f"{CANARY}-salary"]]
    finally:
        wh.close()
