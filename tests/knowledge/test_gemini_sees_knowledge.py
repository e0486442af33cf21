"""Gemini is told the definitions and the verified pairs before it writes SQL: proven on
the wire, through the scripted Gemini endpoint and the real google-genai client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from nl2sql.config import Settings
from nl2sql.models.gemini import GeminiModel, RetryPolicy
from nl2sql.runtime import Runtime
from nl2sql.state import StateDB
from tests.fakes.gemini import GeminiServer, calls, text

FAST = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.02, jitter=0.0)
REVENUE_SQL = ("SELECT SUM(sale_price) AS revenue FROM thelook_ecommerce.order_items "
               "WHERE status NOT IN ('Cancelled', 'Returned')")


@pytest.fixture
def gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[GeminiServer]:
    with GeminiServer() as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        yield server


def _response(content: dict[str, Any], name: str) -> dict[str, Any]:
    found = [p["functionResponse"] for p in content["parts"]
             if p.get("functionResponse", {}).get("name") == name]
    assert found, f"no {name} response in {content}"
    return found[0]["response"]


def test_gemini_receives_metric_definitions_and_verified_pairs(
        gemini: GeminiServer, settings: Settings) -> None:
    runtime = Runtime(settings.with_(model="gemini-2.5-flash"), state_db=StateDB(":memory:"),
                      model=GeminiModel("gemini-2.5-flash", retry=FAST))
    runtime.knowledge.verified.add(  # type: ignore[union-attr]
        "What was total revenue?", REVENUE_SQL, runtime.knowledge.policy, source="analyst",
        user="ana")
    gemini.enqueue(calls(("list_tables", {"dataset_id": "thelook_ecommerce"}),
                         ("search_verified_queries", {"question": "What is our total revenue?"})))
    gemini.enqueue(calls(("sql_query", {"query": REVENUE_SQL})))
    gemini.enqueue(text("Revenue is ... (the revenue metric: sale_price, not Cancelled/Returned)."))
    try:
        answer, _ = runtime.agent().ask("What is our total revenue?")
    finally:
        runtime.close()

    assert answer.model_sql == REVENUE_SQL and answer.rows  # answer.sql: the gate's rendering
    first, second, _ = gemini.requests
    assert "search_verified_queries" in first.declared
    assert "metric" in first.system_text and "filters exactly" in first.system_text
    assert "Call search_verified_queries with the question" in first.system_text
    listed = _response(second.contents[2], "list_tables")["output"]
    revenue = next(m for m in listed["metrics"] if m["name"] == "revenue")
    assert revenue["expression"] == "SUM(sale_price)"
    assert revenue["filters"] == ["status NOT IN ('Cancelled', 'Returned')"]
    assert any(e["table"] == "thelook_ecommerce.users" and "customers" in e["synonyms"]
               for e in listed["entities"])
    matches = _response(second.contents[2], "search_verified_queries")["output"]["matches"]
    assert matches[0]["question"] == "What was total revenue?"
    assert matches[0]["sql"] == REVENUE_SQL and matches[0]["same_question"] is True
    assert matches[0]["source"] == "analyst" and matches[0]["verified_by"] == "ana"
    assert matches[0]["id"]  # so a model can say which pair it reused
    assert gemini.unexpected == 0 and gemini.pending == 0
