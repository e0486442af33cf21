"""What Gemini is sent, through the real SDK against the scripted endpoint: the
catalog up front (fewer round trips), capped results with column statistics,
earlier results summarised, and usage with an estimated cost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nl2sql.agent import Agent
from nl2sql.config import Settings
from nl2sql.models.gemini import GeminiModel, RetryPolicy
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.fakes.gemini import GeminiServer, calls, response, text
from tests.shop import build_shop

FAST = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.02, jitter=0.0)


@pytest.fixture
def gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[GeminiServer]:
    with GeminiServer() as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        yield server


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[DuckDBWarehouse]:
    wh = DuckDBWarehouse(build_shop(tmp_path))
    yield wh
    wh.close()


def ask(warehouse: DuckDBWarehouse, question: str, **settings: Any) -> Any:
    bot = Agent(GeminiModel("gemini-2.5-flash", retry=FAST), warehouse,
                Settings(allowed_datasets=("shop",), **settings))
    return bot.ask(question)[0]


def _responses(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [p["functionResponse"]["response"] for p in content["parts"]]


def test_the_catalog_lets_a_single_table_question_take_three_calls(
        gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("get_table", {"table_id": "shop.purchases"})))
    gemini.enqueue(calls(("sql_query", {"query": "SELECT status, COUNT(*) AS n FROM "
                                                  "shop.purchases GROUP BY status ORDER BY n"})))
    gemini.enqueue(text("50 refunded and 150 paid purchases (shop.purchases)."))
    answer = ask(warehouse, "Purchases by status?")

    assert answer.rows == [["Refunded", 50], ["Paid", 150]]
    assert answer.usage.model_calls == 3 == len(gemini.requests)
    system = gemini.requests[0].system_text
    # the allowed dataset and its tables with their descriptions, and nothing else
    assert "Catalog:" in system and "- dataset shop" in system
    assert "  - customers: People who bought something" in system
    assert "  - purchases" in system
    assert "salaries" not in system and "secret" not in system
    assert "get_table" in system
    # the same instruction on every request (implicit caching serves a stable prefix)
    assert {r.system_text for r in gemini.requests} == {system}
    sent = sum(len(json.dumps(r.body)) for r in gemini.requests)
    assert sent < 16_000  # ≈ 4k tokens for the whole question


def test_results_reach_the_model_capped_with_column_stats(
        gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("sql_query", {"query": "SELECT id, amount, status FROM "
                                                  "shop.purchases ORDER BY id"})))
    gemini.enqueue(text("Here they are."))
    answer = ask(warehouse, "All purchases?")

    assert len(answer.rows) == 200  # the user gets the whole preview
    (got,) = _responses(gemini.requests[1].contents[2])
    out = got["output"]
    assert len(out["rows"]) == 30 and out["rows"][0] == [1, 10.0, "Paid"]
    assert out["row_count"] == 200 and out["truncated"] is False
    assert out["column_stats"]["id"] == {"count": 200, "distinct": 200, "nulls": 0,
                                         "min": 1, "max": 200}
    assert out["column_stats"]["status"]["distinct"] == 2
    assert out["column_stats"]["amount"]["max"] == 60.0
    assert "first 30 of 200 rows" in out["note"]


def test_earlier_results_are_summarised_in_later_requests(
        gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("get_table", {"table_id": "shop.purchases"})))
    gemini.enqueue(calls(("sql_query", {"query": "SELECT id, status FROM shop.purchases"})))
    gemini.enqueue(calls(("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.purchases"})))
    gemini.enqueue(text("200."))
    ask(warehouse, "How many purchases?")

    last = gemini.requests[-1].contents
    table, listing, count = (_responses(last[i])[0]["output"] for i in (2, 4, 6))
    # the earlier get_table keeps names and types, not the prose
    assert {c["name"] for c in table["columns"]} == {"id", "customer_id", "amount", "status",
                                                     "bought_at"}
    assert all("description" not in c for c in table["columns"])
    # the earlier 200-row result: three rows and its counts
    assert len(listing["rows"]) == 3 and listing["row_count"] == 200
    assert "summarised" in listing["note"]
    assert count["rows"] == [[200]]  # the newest result in full
    # while it was the newest, the get_table result went in full
    fresh = _responses(gemini.requests[1].contents[2])[0]["output"]
    assert any(c.get("description") == "Paid or Refunded" for c in fresh["columns"])


def test_usage_records_cached_tokens_and_an_estimated_cost(
        gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    usage = {"promptTokenCount": 2000, "cachedContentTokenCount": 1500,
             "candidatesTokenCount": 100, "thoughtsTokenCount": 0, "totalTokenCount": 2100}
    gemini.enqueue(calls(("sql_query", {"query": "SELECT 1 AS one"}), usage=usage))
    gemini.enqueue(response([{"text": "One."}], usage=usage))
    answer = ask(warehouse, "One?")
    got = answer.to_dict()["usage"]
    assert got["cached_tokens"] == 3000 and got["total_tokens"] == 4200
    # per call: 500 fresh × $0.30 + 1500 cached × $0.03 + 100 out × $2.50, per 1M tokens
    assert got["cost_usd"] == pytest.approx(2 * (500 * 0.30 + 1500 * 0.03 + 100 * 2.50) / 1e6)


def test_the_answer_shows_the_sql_that_ran(gemini: GeminiServer,
                                           warehouse: DuckDBWarehouse) -> None:
    model_sql = ("SELECT COUNT(*) AS n FROM shop.purchases -- recent ones\n"
                 "WHERE bought_at > TIMESTAMP '2023-01-01' + INTERVAL 1 DAY")
    gemini.enqueue(calls(("sql_query", {"query": model_sql})))
    gemini.enqueue(text("199."))
    answer = ask(warehouse, "How many?")
    assert answer.rows == [[199]]
    assert answer.sql == ("SELECT COUNT(*) AS n FROM shop.purchases WHERE bought_at > "
                          "CAST('2023-01-01' AS TIMESTAMP) + INTERVAL '1' DAY")
    assert answer.model_sql == model_sql


@pytest.mark.parametrize(("name", "value", "sent"), [
    ("gemini-3-flash-preview", "low", {"thinkingLevel": "LOW"}),
    ("gemini-2.5-flash", "1024", {"thinkingBudget": 1024}),
    ("gemini-2.5-flash", "0", {"thinkingBudget": 0}),
])
def test_thinking_and_call_timeout_come_from_settings(gemini: GeminiServer, name: str,
                                                      value: str, sent: dict[str, Any]) -> None:
    from nl2sql.models import open_model
    from nl2sql.models.base import Message, Request

    model = open_model(Settings(model=name, gemini_thinking=value, gemini_timeout_s=7))
    assert isinstance(model, GeminiModel) and model.timeout_s == 7
    gemini.enqueue(text("ok"))
    model.generate(Request([Message("user", text="hi")], [], "s", tool_mode="NONE"))
    # google-genai sends the inner fields by their Python names (thinking_budget), which
    # the API's JSON parser accepts like the camelCase ones: compare either spelling.
    got = gemini.requests[0].generation_config["thinkingConfig"]
    assert {k.replace("_", "").lower(): v for k, v in got.items()} == {
        k.lower(): v for k, v in sent.items()}


def test_a_bad_thinking_setting_is_a_clear_error() -> None:
    from nl2sql.errors import ConfigError

    with pytest.raises(ConfigError, match="NL2SQL_GEMINI_THINKING='lots' is not valid: must be "
                                          "one of minimal, low, medium, high"):
        Settings.from_env({"NL2SQL_GEMINI_THINKING": "lots"})
