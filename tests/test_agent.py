"""The agent loop, driven by the scripted model against a real DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nl2sql.agent import Agent
from nl2sql.config import Settings
from nl2sql.models.base import ModelTurn, Request
from nl2sql.models.scripted import ScriptedModel, calls, text
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.shop import build_shop


@pytest.fixture
def warehouse(tmp_path: Path) -> DuckDBWarehouse:
    wh = DuckDBWarehouse(build_shop(tmp_path))
    yield wh
    wh.close()


def make_agent(model: ScriptedModel, warehouse: DuckDBWarehouse, **settings: Any) -> Agent:
    return Agent(model, warehouse, Settings(**settings))


def test_chain_of_calls_produces_answer_with_data(warehouse: DuckDBWarehouse) -> None:
    model = ScriptedModel(
        calls(("list_datasets", {})),
        calls(("get_table", {"table_id": "shop.customers"}),
              ("get_table", {"table_id": "shop.purchases"})),
        calls(("sql_query", {"query": "SELECT country, COUNT(*) AS n FROM shop.customers "
                                      "GROUP BY country ORDER BY n DESC"})),
        text("Portugal has 2 customers, Sweden 1."),
    )
    answer, conversation = make_agent(model, warehouse).ask("Customers by country?")

    assert answer.answer == "Portugal has 2 customers, Sweden 1."
    assert answer.answered
    assert answer.columns == ["country", "n"]
    assert answer.rows == [["Portugal", 2], ["Sweden", 1]]
    assert answer.sql.startswith("SELECT country")
    assert [s.name for s in answer.steps] == ["list_datasets", "get_table", "get_table",
                                              "sql_query"]
    assert all(s.ok for s in answer.steps)
    assert answer.usage.model_calls == 4
    # user, then (model, tool) x3, then the final model text
    assert [m.role for m in conversation.messages] == ["user", "model", "tool", "model", "tool",
                                                       "model", "tool", "model"]


def test_parallel_calls_answered_together_in_call_order_with_ids(
        warehouse: DuckDBWarehouse) -> None:
    model = ScriptedModel(
        calls(("get_table", {"table_id": "shop.purchases"}),
              ("get_table", {"table_id": "shop.customers"}),
              ("list_tables", {"dataset_id": "shop"})),
        text("done"),
    )
    make_agent(model, warehouse).ask("describe")
    tool_turn = model.requests[1].history[-1]
    assert tool_turn.role == "tool"
    assert [(r.id, r.name) for r in tool_turn.responses] == [
        ("call-0", "get_table"), ("call-1", "get_table"), ("call-2", "list_tables")]
    assert tool_turn.responses[0].response["output"]["table_id"] == "shop.purchases"
    assert tool_turn.responses[1].response["output"]["table_id"] == "shop.customers"


def test_parallel_calls_run_concurrently(warehouse: DuckDBWarehouse) -> None:
    slow = ("SELECT COUNT(*) AS n FROM shop.purchases a, shop.purchases b, shop.purchases c "
            "WHERE a.id + b.id + c.id > 0")
    model = ScriptedModel(calls(("sql_query", {"query": slow}), ("sql_query", {"query": slow})),
                          text("done"))
    events: list[dict[str, Any]] = []
    make_agent(model, warehouse).ask("two slow ones", on_event=events.append)
    kinds = [e["event"] for e in events if e["event"].startswith("step_")]
    # Both calls start before either finishes: they overlap.
    assert kinds == ["step_started", "step_started", "step_finished", "step_finished"]


def test_errors_go_back_to_the_model_which_can_recover(warehouse: DuckDBWarehouse) -> None:
    model = ScriptedModel(
        calls(("drop_everything", {}),
              ("get_table", {"table_id": 42}),
              ("sql_query", {"query": "DELETE FROM shop.customers"}),
              ("sql_query", {"query": "SELECT missing_column FROM shop.customers"})),
        calls(("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.customers"})),
        text("There are 3 customers."),
    )
    answer, _ = make_agent(model, warehouse).ask("how many customers")
    errors = [r.response.get("error") for r in model.requests[1].history[-1].responses]
    assert "unknown function 'drop_everything'" in errors[0]
    assert "bad arguments for get_table" in errors[1]
    assert "DELETE" in errors[2]  # the gate names the offending construct
    assert "missing_column" in errors[3]
    assert [s.ok for s in answer.steps] == [False, False, False, False, True]
    assert answer.rows == [[3]]
    assert warehouse.query("SELECT COUNT(*) FROM shop.customers", max_rows=5,
                           timeout_s=5).rows == [[3]]


def test_step_limit_asks_for_a_summary_without_tools(warehouse: DuckDBWarehouse) -> None:
    def keep_exploring(request: Request) -> ModelTurn:
        if request.tool_mode == "NONE":
            return text("From what I gathered: shop has 2 tables.")
        return calls(("list_tables", {"dataset_id": "shop"}))

    model = ScriptedModel(*[keep_exploring] * 4)
    answer, _ = make_agent(model, warehouse, max_steps=3).ask("explore forever")
    assert [r.tool_mode for r in model.requests] == ["AUTO", "AUTO", "AUTO", "NONE"]
    assert answer.answer == "From what I gathered: shop has 2 tables."
    assert len(answer.steps) == 3


def test_step_limit_without_summary_is_not_an_answer(warehouse: DuckDBWarehouse) -> None:
    model = ScriptedModel(*[calls(("list_datasets", {}))] * 3)
    answer, _ = make_agent(model, warehouse, max_steps=2).ask("loop")
    assert not answer.answered
    assert "step limit" in answer.answer


def test_follow_up_carries_the_conversation(warehouse: DuckDBWarehouse) -> None:
    model = ScriptedModel(
        calls(("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.customers"})),
        text("3 customers."),
        text("They are in Portugal and Sweden."),
    )
    agent = make_agent(model, warehouse)
    _, conversation = agent.ask("How many customers?")
    answer, _ = agent.ask("Where are they?", conversation)
    history = model.requests[-1].history
    assert [m.text for m in history if m.role == "user"] == ["How many customers?",
                                                             "Where are they?"]
    assert any(m.text == "3 customers." for m in history)
    assert answer.answer == "They are in Portugal and Sweden."


def test_allowed_datasets_hide_and_refuse_other_data(warehouse: DuckDBWarehouse) -> None:
    model = ScriptedModel(
        calls(("list_datasets", {}), ("get_table", {"table_id": "secret.salaries"}),
              ("sql_query", {"query": "SELECT * FROM secret.salaries"})),
        text("no"),
    )
    answer, _ = make_agent(model, warehouse, allowed_datasets=("shop",)).ask("salaries?")
    responses = model.requests[1].history[-1].responses
    assert [d["dataset_id"] for d in responses[0].response["output"]["datasets"]] == ["shop"]
    assert "error" in responses[1].response
    assert "error" in responses[2].response
    assert answer.rows == []


def test_events_report_progress(warehouse: DuckDBWarehouse) -> None:
    model = ScriptedModel(calls(("list_datasets", {})), text("ok"))
    events: list[dict[str, Any]] = []
    make_agent(model, warehouse).ask("q", on_event=events.append)
    assert [e["event"] for e in events] == ["model_started", "step_started", "step_finished",
                                            "model_started", "answer"]
    assert events[2]["ok"] is True and events[2]["name"] == "list_datasets"


def test_forced_mode_applies_to_the_first_turn_then_the_model_may_answer(
        warehouse: DuckDBWarehouse) -> None:
    model = ScriptedModel(calls(("sql_query", {"query": "SELECT 1 AS one"})), text("One."))
    agent = Agent(model, warehouse, Settings(), tool_mode="ANY",
                  allowed_functions=["sql_query"])
    answer, _ = agent.ask("One?")
    assert [(r.tool_mode, r.allowed_functions) for r in model.requests] == [
        ("ANY", ["sql_query"]), ("AUTO", None)]
    assert answer.answer == "One." and answer.rows == [[1]]


def test_a_declined_answer_carries_no_query_result(warehouse: DuckDBWarehouse) -> None:
    from nl2sql.agent import UNANSWERED

    model = ScriptedModel(
        calls(("sql_query", {"query": "SELECT name FROM shop.customers WHERE name = 'Zed'"})),
        ModelTurn(text("I could not find 'Zed'.").message, finish_reason=UNANSWERED),
    )
    answer, _ = make_agent(model, warehouse).ask("How much did Zed spend?")
    assert not answer.answered
    assert (answer.sql, answer.columns, answer.rows) == (None, [], [])
    assert answer.steps[0].name == "sql_query"  # the lookup is still on record


class _BrokenWarehouse(DuckDBWarehouse):
    """A warehouse whose driver fails in an unexpected way (not one of our errors)."""

    def list_datasets(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("driver exploded at 0x7f3a with secret=hunter2")


def test_unexpected_tool_errors_reach_the_model_without_internals(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    wh = _BrokenWarehouse(build_shop(tmp_path))
    model = ScriptedModel(calls(("list_datasets", {})), text("Sorry."))
    answer, _ = make_agent(model, wh).ask("What data is there?")
    error = model.requests[1].history[-1].responses[0].response["error"]
    assert error == "list_datasets failed with an internal error; try another approach"
    assert answer.steps[0].error == error and "hunter2" not in error
    assert "hunter2" in caplog.text  # the operator still sees the cause in the log
    wh.close()


def test_dataset_context_fills_what_the_warehouse_cannot_say(demo_db: Path) -> None:
    # DuckDB cannot comment on a schema: the description comes from
    # schemas/datasets/thelook_ecommerce.md, and list_tables carries its notes.
    wh = DuckDBWarehouse(demo_db)
    model = ScriptedModel(calls(("list_datasets", {}),
                                ("list_tables", {"dataset_id": "thelook_ecommerce"})),
                          text("ok"))
    make_agent(model, wh).ask("what is there?")
    datasets, tables = (r.response["output"] for r in model.requests[1].history[-1].responses)
    assert datasets["datasets"][0]["description"].startswith("TheLook")
    assert "sale_price" in tables["notes"]
    wh.close()


def test_fan_out_is_bounded_per_turn_and_per_question(warehouse: DuckDBWarehouse) -> None:
    query = ("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.customers"})
    model = ScriptedModel(
        calls(*[query] * 6),  # more than max_calls_per_turn
        calls(query),  # past the per-question budget
        text("done"),
    )
    answer, _ = make_agent(model, warehouse, max_calls_per_turn=4,
                           max_queries_per_question=4).ask("count, many times")
    assert [s.ok for s in answer.steps] == [True] * 4 + [False] * 3
    responses = model.requests[1].history[-1].responses
    assert len(responses) == 6 and [r.id for r in responses] == [f"call-{i}" for i in range(6)]
    assert "at most 4 function calls run per turn" in responses[5].response["error"]
    assert "sql_query budget" in answer.steps[6].error
    # Every response is an answer the model can read; none is an internal error.
    assert all("internal error" not in (s.error or "") for s in answer.steps)
