"""Gemini through the real google-genai SDK against the scripted Gemini endpoint.

Nothing of the SDK is patched: the client reads GEMINI_API_KEY and
GOOGLE_GEMINI_BASE_URL from the environment and speaks HTTP to a local server
that answers in the Gemini API's wire format and records every request.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nl2sql.agent import Agent, Conversation
from nl2sql.config import Settings
from nl2sql.errors import DeadlineExceeded, ModelError
from nl2sql.models.base import FunctionCall, FunctionResponse, Message, Request
from nl2sql.models.gemini import (
    GeminiAuthError,
    GeminiBlocked,
    GeminiConfigError,
    GeminiEmptyResponse,
    GeminiInvalidTurn,
    GeminiMaxTokens,
    GeminiModel,
    GeminiQuotaError,
    GeminiRequestError,
    GeminiUnavailable,
    RetryPolicy,
)
from nl2sql.models.gemini_wire import SKIP_SIGNATURE
from nl2sql.tools import declarations
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.fakes.gemini import (
    GeminiServer,
    calls,
    empty_stop,
    error,
    malformed,
    quota_error,
    response,
    text,
)
from tests.shop import build_shop

FAST = RetryPolicy(attempts=3, initial_delay=0.01, max_delay=0.05, jitter=0.01)
SIG = b"\x00sig-\xfb\xff/+chain"  # bytes whose base64 needs both alphabets' odd characters


def b64bytes(value: str) -> bytes:
    """Decode base64 in either alphabet (the SDK sends the URL-safe one)."""
    return base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_"))


@pytest.fixture
def gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[GeminiServer]:
    with GeminiServer() as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        yield server


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return build_shop(tmp_path)


@pytest.fixture
def warehouse(shop: Path) -> Iterator[DuckDBWarehouse]:
    wh = DuckDBWarehouse(shop)
    yield wh
    wh.close()


def model(name: str = "gemini-2.5-flash", **kw: Any) -> GeminiModel:
    kw.setdefault("retry", FAST)
    return GeminiModel(name, **kw)


def agent(warehouse: DuckDBWarehouse, name: str = "gemini-2.5-flash", *, retry: RetryPolicy = FAST,
          **kw: Any) -> Agent:
    settings = Settings(allowed_datasets=("shop",), **kw.pop("settings", {}))
    return Agent(model(name, retry=retry), warehouse, settings, **kw)


def responses_of(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [p["functionResponse"] for p in content["parts"]]


# -- the whole loop ------------------------------------------------------------------------


def test_multi_step_chain_end_to_end(gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("list_datasets", {})))
    gemini.enqueue(calls(("get_table", {"table_id": "shop.customers"})))
    gemini.enqueue(calls(("sql_query", {"query": "SELECT country, COUNT(*) AS n FROM shop."
                                                  "customers GROUP BY country ORDER BY n DESC"})))
    gemini.enqueue(text("Portugal has 2 customers and Sweden 1 (shop.customers, by country)."))
    events: list[dict[str, Any]] = []

    answer, conversation = agent(warehouse).ask("Customers by country?", on_event=events.append)

    assert answer.answer.startswith("Portugal has 2 customers")
    assert answer.rows == [["Portugal", 2], ["Sweden", 1]]
    assert [s.name for s in answer.steps] == ["list_datasets", "get_table", "sql_query"]
    assert answer.model == "gemini-2.5-flash"
    usage = answer.to_dict()["usage"]
    # cost: 4 × (120 prompt × $0.30 + 42 output and thinking × $2.50) per 1M tokens
    assert usage == {"model_calls": 4, "prompt_tokens": 480, "output_tokens": 48,
                     "thinking_tokens": 120, "cached_tokens": None, "total_tokens": 648,
                     "cost_usd": pytest.approx(0.000564), "bytes_processed": None,
                     "bytes_billed": None}
    assert [e["event"] for e in events if e["event"].startswith("step_")] == [
        "step_started", "step_finished"] * 3

    first, second, third, last = gemini.requests
    assert first.path.endswith("/models/gemini-2.5-flash:generateContent")
    assert first.headers["x-goog-api-key"] == "test-key"
    assert first.declared == [d["name"] for d in declarations()]
    assert first.function_calling == {"mode": "AUTO"}
    assert first.generation_config["temperature"] == pytest.approx(0.1)  # 2.x: low
    system = first.system_text
    assert dt.date.today().isoformat() in system
    assert "You may read: shop." in system
    assert "GoogleSQL" in system and "fully qualified" in system and "LIMIT" in system
    assert "Answer concisely" in system and "where they come from" in system
    assert "Never invent numbers" in system and "clarifying question" in system
    assert first.contents == [{"role": "user", "parts": [{"text": "Customers by country?"}]}]
    # each request carries the previous one's contents plus the model turn and our answer
    assert second.contents[:1] == first.contents
    assert [c["role"] for c in last.contents] == ["user"] + ["model", "user"] * 3
    datasets = responses_of(second.contents[2])[0]
    assert datasets["name"] == "list_datasets" and datasets["id"] == "fc-0-list_datasets"
    assert datasets["response"]["output"]["datasets"][0]["dataset_id"] == "shop"
    query = responses_of(last.contents[6])[0]
    assert query["response"]["output"]["rows"] == [["Portugal", 2], ["Sweden", 1]]
    assert [m.role for m in conversation.messages][-1] == "model"
    assert gemini.unexpected == 0 and gemini.pending == 0


def test_parallel_calls_with_ids_and_thought_signature(gemini: GeminiServer,
                                                       warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("get_table", {"table_id": "shop.purchases"}),
                         ("get_table", {"table_id": "shop.customers"}),
                         ("list_tables", {"dataset_id": "shop"}),
                         signature_bytes=SIG, text_before="Looking at the tables."))
    gemini.enqueue(text("Two tables.", signature_bytes=b"final-sig"))

    answer, _ = agent(warehouse, "gemini-3-flash-preview").ask("What is there?")

    assert answer.answer == "Two tables."
    received = gemini.requests[0]
    sent = gemini.requests[1]
    assert "temperature" not in sent.generation_config  # 3.x: the documented default
    model_turn, tool_turn = sent.contents[1], sent.contents[2]
    # the model turn goes back unchanged: text, calls, ids, and the signature on the first call
    assert model_turn["role"] == "model"
    assert model_turn["parts"][0] == {"text": "Looking at the tables."}
    assert b64bytes(model_turn["parts"][1]["thoughtSignature"]) == SIG
    assert all("thoughtSignature" not in p for p in model_turn["parts"][2:])
    assert [p["functionCall"]["id"] for p in model_turn["parts"][1:]] == [
        "fc-0-get_table", "fc-1-get_table", "fc-2-list_tables"]
    # all responses in one user turn, in call order, matched by id and name
    assert tool_turn["role"] == "user"
    got = responses_of(tool_turn)
    assert [(r["id"], r["name"]) for r in got] == [
        ("fc-0-get_table", "get_table"), ("fc-1-get_table", "get_table"),
        ("fc-2-list_tables", "list_tables")]
    assert got[0]["response"]["output"]["table_id"] == "shop.purchases"
    assert got[1]["response"]["output"]["table_id"] == "shop.customers"
    assert received.function_calling == {"mode": "AUTO"}


def test_signature_survives_a_stored_conversation(gemini: GeminiServer,
                                                  warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("list_datasets", {}), signature_bytes=SIG))
    gemini.enqueue(text("One dataset: shop.", signature_bytes=b"answer-sig"))
    gemini.enqueue(text("Still one."))
    ask = agent(warehouse, "gemini-3-pro-preview").ask
    _, conversation = ask("Which datasets?")

    # persisted as JSON (a conversation store) and read back
    stored = json.loads(json.dumps([m.to_dict() for m in conversation.messages]))
    restored = Conversation([Message.from_dict(d) for d in stored])
    answer, _ = ask("Any other?", restored)

    assert answer.answer == "Still one."
    contents = gemini.requests[2].contents
    assert [c["role"] for c in contents] == ["user", "model", "user", "model", "user"]
    assert b64bytes(contents[1]["parts"][0]["thoughtSignature"]) == SIG
    assert b64bytes(contents[3]["parts"][0]["thoughtSignature"]) == b"answer-sig"
    assert contents[4] == {"role": "user", "parts": [{"text": "Any other?"}]}


def test_follow_up_question_carries_earlier_turns(gemini: GeminiServer,
                                                  warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.purchases"})))
    gemini.enqueue(text("There are 200 purchases."))
    gemini.enqueue(calls(("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.purchases "
                                                  "WHERE status = 'Refunded'"})))
    gemini.enqueue(text("50 of them were refunded."))
    bot = agent(warehouse)
    _, conversation = bot.ask("How many purchases?")
    answer, conversation = bot.ask("And refunded?", conversation)

    assert answer.answer == "50 of them were refunded."
    assert answer.rows == [[50]]
    follow_up = gemini.requests[2].contents
    assert follow_up[0] == {"role": "user", "parts": [{"text": "How many purchases?"}]}
    assert follow_up[1]["parts"][0]["functionCall"]["name"] == "sql_query"
    assert responses_of(follow_up[2])[0]["response"]["output"]["rows"] == [[200]]
    assert follow_up[3]["parts"] == [{"text": "There are 200 purchases."}]
    assert follow_up[4] == {"role": "user", "parts": [{"text": "And refunded?"}]}
    assert len(conversation.messages) == 8


def test_long_conversation_is_trimmed(gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    bot = agent(warehouse)
    conversation = None
    for i in range(14):
        gemini.enqueue(text(f"answer {i}"))
        _, conversation = bot.ask(f"question {i}", conversation)
    last = gemini.requests[-1].contents
    # 10 earlier exchanges (question + answer) and the new question: the budget's max_exchanges
    assert len(last) == 21
    assert last[0]["parts"] == [{"text": "question 3"}]
    assert last[-1]["parts"] == [{"text": "question 13"}]


def test_any_mode_with_allowed_function_names(gemini: GeminiServer,
                                              warehouse: DuckDBWarehouse) -> None:
    # Under ANY the real model must call one of the allowed functions; the
    # scripted endpoint refuses a text answer there, so the loop ends on the step limit.
    gemini.enqueue(calls(("sql_query", {"query": "SELECT 1 AS one"})))
    gemini.enqueue(text("One."))
    answer, _ = agent(warehouse, tool_mode="ANY", allowed_functions=["sql_query"],
                      settings={"max_steps": 1}).ask("One?")
    assert answer.rows == [[1]] and answer.answer == "One."
    assert gemini.requests[0].function_calling == {"mode": "ANY",
                                                   "allowedFunctionNames": ["sql_query"]}
    assert gemini.requests[1].function_calling == {"mode": "NONE"}
    assert gemini.rejected == []


def test_any_mode_lets_the_model_answer_after_the_forced_call(
        gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("sql_query", {"query": "SELECT 1 AS one"})))
    gemini.enqueue(text("One."))
    answer, _ = agent(warehouse, tool_mode="ANY", allowed_functions=["sql_query"]).ask("One?")
    assert answer.answer == "One."
    assert [r.function_calling.get("mode") for r in gemini.requests] == ["ANY", "AUTO"]


def test_responses_that_miss_a_call_are_refused_like_the_real_api(
        gemini: GeminiServer) -> None:
    """The scripted endpoint checks what the API checks, so every test of the loop
    also proves that each call of a turn is answered in one content."""
    history = [
        Message("user", text="How many?"),
        Message("model", calls=[FunctionCall("list_datasets", {}, id="a"),
                                FunctionCall("list_tables", {"dataset_id": "shop"}, id="b")]),
        Message("tool", responses=[FunctionResponse("list_datasets", {"output": {}}, id="a")]),
        Message("tool", responses=[FunctionResponse("list_tables", {"output": {}}, id="b")]),
    ]
    gemini.enqueue(text("never sent"))
    with pytest.raises(GeminiRequestError, match="number of function response parts"):
        model(retry=RetryPolicy(attempts=1)).generate(Request(history, list(declarations()), "s"))
    assert gemini.pending == 1 and len(gemini.rejected) == 1


def test_step_limit_asks_for_a_summary_without_tools(gemini: GeminiServer,
                                                     warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("list_datasets", {})))
    gemini.enqueue(calls(("list_tables", {"dataset_id": "shop"})))
    gemini.enqueue(text("I found two tables in shop but did not get to query them."))
    answer, _ = agent(warehouse, settings={"max_steps": 2}).ask("Everything about shop?")

    assert answer.answer.startswith("I found two tables")
    modes = [r.function_calling.get("mode") for r in gemini.requests]
    assert modes == ["AUTO", "AUTO", "NONE"]
    assert "allowedFunctionNames" not in gemini.requests[2].function_calling


# -- what the model gets wrong is answered with an error, never run --------------------------


def test_unknown_function_is_answered_with_an_error(gemini: GeminiServer,
                                                    warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("drop_everything", {"now": True})))
    gemini.enqueue(text("Sorry."))
    answer, _ = agent(warehouse).ask("Drop it")
    got = responses_of(gemini.requests[1].contents[2])[0]
    assert got["name"] == "drop_everything" and got["id"] == "fc-0-drop_everything"
    assert set(got["response"]) == {"error"}
    assert "unknown function 'drop_everything'" in got["response"]["error"]
    assert answer.steps[0].ok is False


def test_arguments_of_the_wrong_type(gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("get_table", {"table_id": 42}), ("list_tables", {})))
    gemini.enqueue(text("Let me retry."))
    agent(warehouse).ask("Describe")
    wrong_type, missing = responses_of(gemini.requests[1].contents[2])
    assert "bad arguments for get_table" in wrong_type["response"]["error"]
    assert "bad arguments for list_tables" in missing["response"]["error"]


@pytest.mark.parametrize("sql", [
    "DELETE FROM shop.purchases",
    "SELECT * FROM secret.salaries",
    "SELECT 1; DROP TABLE shop.customers",
])
def test_unsafe_sql_is_refused_and_never_executed(gemini: GeminiServer, shop: Path,
                                                  warehouse: DuckDBWarehouse, sql: str) -> None:
    gemini.enqueue(calls(("sql_query", {"query": sql})))
    gemini.enqueue(text("I cannot do that."))
    answer, _ = agent(warehouse).ask("Do it")
    got = responses_of(gemini.requests[1].contents[2])[0]
    assert set(got["response"]) == {"error"}
    assert "100000" not in json.dumps(got)
    assert answer.sql is None and answer.rows == []
    assert answer.steps[0].ok is False
    check = DuckDBWarehouse(shop)
    try:
        assert check.query("SELECT COUNT(*) FROM shop.purchases", max_rows=1,
                           timeout_s=5).rows == [[200]]
    finally:
        check.close()


# -- bad turns: asked again, silently and boundedly ---------------------------------------

COUNT_SQL = "SELECT COUNT(*) AS n FROM shop.purchases"


def test_malformed_call_is_asked_again_forcing_a_call(gemini: GeminiServer,
                                                      warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(malformed())
    gemini.enqueue(calls(("sql_query", {"query": COUNT_SQL})))
    gemini.enqueue(text("There are 200 purchases."))
    answer, conversation = agent(warehouse).ask("How many purchases?")

    assert answer.answer == "There are 200 purchases." and answer.rows == [[200]]
    first, again, last = gemini.requests
    assert again.contents == first.contents  # the bad turn is not part of the conversation
    assert again.function_calling == {"mode": "ANY"}
    assert again.generation_config["temperature"] == 0
    # once recovered, the loop goes on as before
    assert last.function_calling == {"mode": "AUTO"}
    assert last.generation_config["temperature"] == pytest.approx(0.1)
    assert answer.usage.model_calls == 3
    assert [m.role for m in conversation.messages] == ["user", "model", "tool", "model"]
    assert gemini.rejected == [] and gemini.pending == 0


def test_empty_stop_after_results_is_asked_again_and_may_answer_in_text(
        gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("sql_query", {"query": COUNT_SQL})))
    gemini.enqueue(empty_stop())
    gemini.enqueue(text("There are 200 purchases."))
    answer, _ = agent(warehouse).ask("How many purchases?")

    assert answer.answer == "There are 200 purchases."
    _, empty, again = gemini.requests
    assert again.contents == empty.contents
    assert again.generation_config["temperature"] == 0
    # results are in: the model may answer in text, so no call is forced
    assert again.function_calling == {"mode": "AUTO"}
    assert gemini.rejected == []


def test_empty_stop_on_the_question_is_asked_again_forcing_a_call(
        gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(empty_stop())
    gemini.enqueue(empty_stop())
    gemini.enqueue(calls(("sql_query", {"query": COUNT_SQL})))
    gemini.enqueue(text("200."))
    answer, _ = agent(warehouse, "gemini-3-flash-preview").ask("How many purchases?")
    assert answer.answer == "200."
    assert [r.function_calling.get("mode") for r in gemini.requests] == [
        "AUTO", "ANY", "ANY", "AUTO"]
    assert [r.generation_config.get("temperature") for r in gemini.requests] == [
        None, 0, 0, None]  # Gemini 3 keeps its default except while recovering
    assert answer.usage.model_calls == 4


def test_bad_turns_are_retried_at_most_twice(gemini: GeminiServer,
                                             warehouse: DuckDBWarehouse) -> None:
    for _ in range(3):
        gemini.enqueue(malformed())
    gemini.enqueue(text("never asked"))
    with pytest.raises(GeminiInvalidTurn) as raised:
        agent(warehouse).ask("How many purchases?")
    assert "MALFORMED_FUNCTION_CALL" in raised.value.message
    assert "(3 tries)" in raised.value.message
    assert len(gemini.requests) == 3 and gemini.pending == 1


def test_max_tokens_with_complete_calls_goes_on(gemini: GeminiServer,
                                                warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("sql_query", {"query": COUNT_SQL}), finish_reason="MAX_TOKENS"))
    gemini.enqueue(text("200 purchases."))
    answer, _ = agent(warehouse).ask("How many purchases?")
    assert answer.answer == "200 purchases." and answer.rows == [[200]]
    assert len(gemini.requests) == 2


# -- quota and the question's deadline -----------------------------------------------------


def test_429_waits_the_servers_retry_delay(gemini: GeminiServer,
                                          warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(quota_error("0.4s"), status=429)
    gemini.enqueue(text("Fine now."))
    # the policy's own backoff would wait 0.01s: the server's RetryInfo wins
    answer, _ = agent(warehouse).ask("Hello?")
    assert answer.answer == "Fine now."
    first, second = gemini.requests
    assert second.received_at - first.received_at >= 0.4
    assert first.body == second.body


def test_429_whose_delay_passes_the_deadline_fails_at_once(gemini: GeminiServer,
                                                          warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(quota_error("37s"), status=429)
    gemini.enqueue(text("too late"))
    with pytest.raises(GeminiQuotaError) as raised:
        agent(warehouse, settings={"question_deadline_s": 5}).ask("Hello?")
    message = raised.value.message
    assert "wait 37s" in message and "NL2SQL_QUESTION_DEADLINE_S" in message
    assert raised.value.status == 429
    assert len(gemini.requests) == 1  # no pointless retry


def test_the_deadline_bounds_each_call_and_the_whole_loop(gemini: GeminiServer,
                                                         warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue(calls(("sql_query", {"query": COUNT_SQL})), delay=0.6)
    gemini.enqueue(calls(("sql_query", {"query": COUNT_SQL})), delay=0.6)
    gemini.enqueue(text("late"), delay=5)  # would hang past the deadline
    with pytest.raises(DeadlineExceeded) as raised:
        agent(warehouse, settings={"question_deadline_s": 1.5}).ask("How many?")
    assert "NL2SQL_QUESTION_DEADLINE_S" in raised.value.message
    assert raised.value.status == 504
    assert len(gemini.requests) <= 3


# -- transient failures and retries ------------------------------------------------------


def test_retry_after_503(gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue_error(503, "The model is overloaded. Please try again later.")
    gemini.enqueue(text("Fine now."))
    answer, _ = agent(warehouse).ask("Hello?")
    assert answer.answer == "Fine now."
    assert len(gemini.requests) == 2
    assert gemini.requests[0].body == gemini.requests[1].body


def test_retries_exhausted_on_429(gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    gemini.enqueue_error(429, "You exceeded your current quota.", times=3)
    with pytest.raises(GeminiQuotaError) as raised:
        agent(warehouse).ask("Hello?")
    assert len(gemini.requests) == 3
    assert "quota" in raised.value.message and "after 3 attempts" in raised.value.message
    assert raised.value.status == 429


@pytest.mark.parametrize("code", [500, 502, 504])
def test_server_errors_retried_then_unavailable(gemini: GeminiServer, code: int) -> None:
    gemini.enqueue_error(code, times=2)
    with pytest.raises(GeminiUnavailable, match=f"unavailable \\({code} .*after 2 attempts"):
        model(retry=RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.01,
                                jitter=0.0)).generate(_request())
    assert len(gemini.requests) == 2


def test_timeout_retried_then_unavailable(gemini: GeminiServer) -> None:
    gemini.enqueue(text("too late"), delay=1.5)
    gemini.enqueue(text("on time"))
    turn = model(timeout_s=0.5).generate(_request())
    assert turn.message.text == "on time"

    gemini.enqueue(text("late"), delay=1.5).enqueue(text("late"), delay=1.5)
    slow = model(timeout_s=0.5, retry=RetryPolicy(attempts=2, initial_delay=0.01,
                                                  max_delay=0.01, jitter=0.0))
    with pytest.raises(GeminiUnavailable, match=r"did not answer within 0.5s \(after 2 attempts"):
        slow.generate(_request())


def test_unreachable_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    with GeminiServer() as server:
        url = server.url
    monkeypatch.setenv("GEMINI_API_KEY", "k")
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", url)
    with pytest.raises(GeminiUnavailable, match="cannot reach Gemini"):
        model(retry=RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.01)).generate(
            _request())


# -- every error class -------------------------------------------------------------------


def _request(**kw: Any) -> Request:
    return Request(history=[Message("user", text="hi")], tools=list(declarations()),
                   system="be brief", **kw)


ERROR_CASES = [
    pytest.param(401, error(401, "Request had invalid authentication credentials.",
                            "UNAUTHENTICATED"), GeminiAuthError, "rejected the credentials",
                 id="401"),
    pytest.param(403, error(403, "Permission denied on resource project p.", "PERMISSION_DENIED"),
                 GeminiAuthError, "rejected the credentials", id="403"),
    pytest.param(400, {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                                 "message": "API key not valid. Please pass a valid API key.",
                                 "details": [{"reason": "API_KEY_INVALID"}]}},
                 GeminiAuthError, "GEMINI_API_KEY", id="bad-key"),
    pytest.param(429, error(429, "Quota exceeded for metric generate_content_requests.",
                            "RESOURCE_EXHAUSTED"), GeminiQuotaError, "quota", id="quota"),
    pytest.param(404, error(404, "models/gemini-2.5-flash is not found.", "NOT_FOUND"),
                 GeminiRequestError, "was not found", id="404"),
    pytest.param(400, error(400, "Invalid JSON payload.", "INVALID_ARGUMENT"),
                 GeminiRequestError, "refused the request (400 INVALID_ARGUMENT)", id="400"),
    pytest.param(200, {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {}},
                 GeminiBlocked, "blocked the request (SAFETY)", id="prompt-blocked"),
    pytest.param(200, response([], finish_reason="SAFETY"), GeminiBlocked,
                 "stopped its answer for SAFETY", id="answer-blocked"),
    pytest.param(200, {"candidates": [], "usageMetadata": {"promptTokenCount": 3}},
                 GeminiEmptyResponse, "no candidates", id="no-candidates"),
    pytest.param(200, {"candidates": [{"finishReason": "STOP"}]}, GeminiEmptyResponse,
                 "empty answer", id="empty-candidate"),
    pytest.param(200, response([{"text": "The answer is"}], finish_reason="MAX_TOKENS"),
                 GeminiMaxTokens, "MAX_TOKENS", id="max-tokens"),
    pytest.param(200, response([], finish_reason="MALFORMED_FUNCTION_CALL"), GeminiInvalidTurn,
                 "MALFORMED_FUNCTION_CALL", id="malformed-call"),
    pytest.param(200, response([{"text": "thinking...", "thought": True}]), GeminiEmptyResponse,
                 "no text and no function call", id="only-thoughts"),
]


@pytest.mark.parametrize(("status", "body", "kind", "words"), ERROR_CASES)
def test_each_failure_is_a_distinct_clear_model_error(
        gemini: GeminiServer, status: int, body: dict[str, Any], kind: type[ModelError],
        words: str) -> None:
    gemini.enqueue(body, status=status)
    with pytest.raises(ModelError) as raised:
        model(retry=RetryPolicy(attempts=1), bad_turn_retries=0).generate(_request())
    err = raised.value
    assert type(err) is kind
    assert words in err.message
    assert "\n" not in err.message
    assert not type(err).__module__.startswith("google")


def test_missing_credentials_is_a_clear_config_error() -> None:
    with pytest.raises(GeminiConfigError) as raised:
        GeminiModel("gemini-2.5-flash")
    assert "GEMINI_API_KEY" in raised.value.message and "--model offline" in raised.value.message


def test_vertex_without_application_default_credentials(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "my-project")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "us-central1")
    monkeypatch.setenv("NO_GCE_CHECK", "true")  # google-auth: do not probe a metadata server
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path))  # no gcloud ADC file either
    vertex = model()
    assert vertex.client.vertexai
    with pytest.raises(GeminiAuthError, match="application-default login"):
        vertex.generate(_request())


def test_vertex_ai_wire_format(gemini: GeminiServer, warehouse: DuckDBWarehouse) -> None:
    """Vertex AI paths and bearer auth. The client is built explicitly here: from the
    environment, google-genai sends Vertex AI to a non-Google base URL without the
    project path, so the shape is checked with an explicit project and a static token."""
    from google import genai
    from google.genai import types
    from google.oauth2.credentials import Credentials

    client = genai.Client(vertexai=True, project="my-project", location="us-central1",
                          credentials=Credentials(token="adc-token"),
                          http_options=types.HttpOptions(base_url=gemini.url))
    gemini.enqueue(calls(("list_datasets", {}), ("list_tables", {"dataset_id": "shop"}),
                         signature_bytes=SIG))
    gemini.enqueue(text("shop has two tables."))
    bot = Agent(GeminiModel("gemini-2.5-flash", client=client), warehouse,
                Settings(allowed_datasets=("shop",)))
    answer, _ = bot.ask("What is in shop?")
    assert answer.answer == "shop has two tables."
    first, second = gemini.requests
    assert first.path == ("/v1beta1/projects/my-project/locations/us-central1/publishers/google/"
                          "models/gemini-2.5-flash:generateContent")
    assert first.headers["authorization"] == "Bearer adc-token"
    assert b64bytes(second.contents[1]["parts"][0]["thoughtSignature"]) == SIG
    assert [(r["id"], r["name"]) for r in responses_of(second.contents[2])] == [
        ("fc-0-list_datasets", "list_datasets"), ("fc-1-list_tables", "list_tables")]


# -- mapping details -------------------------------------------------------------------


def test_history_from_another_model_gets_the_documented_placeholder_signature(
        gemini: GeminiServer) -> None:
    history = [
        Message("user", text="How many?"),
        Message("model", calls=[FunctionCall("list_datasets", {}, id="a"),
                                FunctionCall("list_tables", {"dataset_id": "shop"}, id="b")]),
        Message("tool", responses=[FunctionResponse("list_datasets", {"output": {}}, id="a"),
                                   FunctionResponse("list_tables", {"output": {}}, id="b")]),
    ]
    for name in ("gemini-3-flash-preview", "gemini-2.5-flash"):
        gemini.enqueue(text("ok"))
        model(name).generate(Request(history, list(declarations()), "s"))
    gemini3, gemini25 = (r.contents[1]["parts"] for r in gemini.requests)
    assert b64bytes(gemini3[0]["thoughtSignature"]) == SKIP_SIGNATURE
    assert "thoughtSignature" not in gemini3[1]
    assert all("thoughtSignature" not in p for p in gemini25)


def test_a_stored_turn_that_no_longer_validates_is_sent_rebuilt(gemini: GeminiServer) -> None:
    """A conversation stored by another google-genai version (a field this one does
    not know) still gets an answer, never a pydantic error past the adapter."""
    native = {"role": "model", "parts": [{
        "function_call": {"name": "list_datasets", "args": {}, "id": "a"},
        "thought_signature": "c2ln", "field_of_another_sdk_version": True}]}
    history = [
        Message("user", text="Which datasets?"),
        Message("model", calls=[FunctionCall("list_datasets", {}, id="a")], native=native),
        Message("tool", responses=[FunctionResponse("list_datasets", {"output": {}}, id="a")]),
    ]
    gemini.enqueue(text("shop."))
    turn = model("gemini-3-flash-preview").generate(Request(history, list(declarations()), "s"))
    assert turn.message.text == "shop."
    (part,) = gemini.requests[0].contents[1]["parts"]
    assert part["functionCall"] == {"name": "list_datasets", "args": {}, "id": "a"}
    assert b64bytes(part["thoughtSignature"]) == SKIP_SIGNATURE


def test_sdk_environment_variables_keep_working(gemini: GeminiServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_GENAI_API_VERSION", "v1beta")
    monkeypatch.delenv("GEMINI_API_KEY")
    monkeypatch.setenv("GOOGLE_API_KEY", "google-key")
    gemini.enqueue(text("ok"))
    model().generate(_request())
    assert gemini.requests[0].path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert gemini.requests[0].headers["x-goog-api-key"] == "google-key"


def test_declarations_without_parameters_have_no_empty_schema(gemini: GeminiServer) -> None:
    gemini.enqueue(text("ok"))
    model().generate(_request())
    decls = {d["name"]: d for d in gemini.requests[0].body["tools"][0]["functionDeclarations"]}
    assert "parameters" not in decls["list_datasets"]
    assert decls["get_table"]["parameters"]["required"] == ["table_id"]


def test_automatic_function_calling_is_off() -> None:
    """Nothing on the wire shows it, so the config we hand the SDK is checked: the
    SDK must never run a function itself; the agent does."""
    config = GeminiModel("gemini-2.5-flash", client=_offline_client()).config(_request())
    assert config.automatic_function_calling is not None
    assert config.automatic_function_calling.disable is True


def _offline_client() -> Any:
    from google import genai

    return genai.Client(api_key="unused")  # built, never called


def test_no_tools_sends_no_tool_config(gemini: GeminiServer) -> None:
    gemini.enqueue(text("ok"))
    model().generate(Request([Message("user", text="hi")], [], "s", tool_mode="NONE"))
    assert "tools" not in gemini.requests[0].body
    assert "toolConfig" not in gemini.requests[0].body


def test_streaming_endpoint_speaks_sse(gemini: GeminiServer) -> None:
    """The scripted endpoint also serves streamGenerateContent for other tests."""
    gemini.enqueue({}, chunks=[response([{"text": "Hel"}], finish_reason=None, usage=None),
                               response([{"text": "lo"}])])
    client = model().client
    chunks = list(client.models.generate_content_stream(model="gemini-2.5-flash", contents="hi"))
    assert "".join(c.text or "" for c in chunks) == "Hello"
    assert gemini.requests[0].action == "streamGenerateContent"
    assert gemini.requests[0].query == {"alt": ["sse"]}


# -- the web API ---------------------------------------------------------------------------


def test_follow_up_through_the_web_api(gemini: GeminiServer, shop: Path, tmp_path: Path) -> None:
    """Two POST /api/ask, the second with the first's conversation_id. The app builds
    the Gemini model from settings and the environment, as in production; the
    follow-up's request carries the stored first exchange, signatures byte for byte."""
    from nl2sql.web import create_app, runtime_of
    from tests.web.openapi import ValidatingClient

    gemini.enqueue(calls(("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.purchases"}),
                         signature_bytes=SIG))
    gemini.enqueue(text("There are 200 purchases.", signature_bytes=b"answer-sig"))
    # The Gemini API may leave out call ids: the response then matches by order and name.
    gemini.enqueue(calls(("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.purchases "
                                                  "WHERE status = 'Refunded'"}),
                         signature_bytes=b"second-sig", ids=False))
    gemini.enqueue(text("50 of them were refunded."))
    app = create_app(Settings(warehouse=f"duckdb:///{shop}", model="gemini-3-flash-preview",
                              allowed_datasets=("shop",),
                              state_db=str(tmp_path / "state.sqlite3")))
    app.test_client_class = ValidatingClient  # responses checked against the OpenAPI schema
    try:
        client = app.test_client()
        first = client.post("/api/ask", json={"question": "How many purchases?"})
        assert first.status_code == 200, first.json
        assert first.json is not None
        conversation_id = first.json["conversation_id"]
        second = client.post("/api/ask", json={"question": "And refunded?",
                                               "conversation_id": conversation_id})
        assert second.status_code == 200, second.json
        stored = client.get(f"/api/conversations/{conversation_id}").json
    finally:
        runtime_of(app).close()

    assert second.json is not None and stored is not None
    assert (first.json["rows"], first.json["model"]) == ([[200]], "gemini-3-flash-preview")
    assert second.json["answer"] == "50 of them were refunded."
    assert second.json["rows"] == [[50]] and second.json["conversation_id"] == conversation_id
    assert second.json["usage"]["model_calls"] == 2
    assert [a["question"] for a in stored["answers"]] == ["How many purchases?", "And refunded?"]

    follow_up = gemini.requests[2].contents
    assert [c["role"] for c in follow_up] == ["user", "model", "user", "model", "user"]
    assert follow_up[0] == {"role": "user", "parts": [{"text": "How many purchases?"}]}
    assert b64bytes(follow_up[1]["parts"][0]["thoughtSignature"]) == SIG
    assert responses_of(follow_up[2])[0]["response"]["output"]["rows"] == [[200]]
    assert b64bytes(follow_up[3]["parts"][0]["thoughtSignature"]) == b"answer-sig"
    assert follow_up[4] == {"role": "user", "parts": [{"text": "And refunded?"}]}
    last = gemini.requests[3].contents
    assert last[:5] == follow_up
    assert b64bytes(last[5]["parts"][0]["thoughtSignature"]) == b"second-sig"
    (answered,) = responses_of(last[6])
    assert answered["name"] == "sql_query" and "id" not in answered
    assert answered["response"]["output"]["rows"] == [[50]]
    assert gemini.rejected == [] and gemini.unexpected == 0 and gemini.pending == 0


# -- the command line ----------------------------------------------------------------------


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("nl2sql")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


def test_cli_ask_json_through_gemini(gemini: GeminiServer, shop: Path) -> None:
    gemini.enqueue(calls(("get_table", {"table_id": "shop.purchases"}), signature_bytes=SIG))
    gemini.enqueue(calls(("sql_query", {"query": "SELECT status, COUNT(*) AS n FROM shop."
                                                  "purchases GROUP BY status ORDER BY n DESC"})))
    gemini.enqueue(text("150 purchases were paid and 50 refunded (shop.purchases.status)."))
    done = _cli(["ask", "--db", str(shop), "--model", "gemini-2.5-flash", "--json",
                 "Purchases by status?"], {"GEMINI_API_KEY": "test", **gemini.env("test")})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["model"] == "gemini-2.5-flash"
    assert out["rows"] == [["Paid", 150], ["Refunded", 50]]
    assert out["usage"]["model_calls"] == 3 and out["usage"]["prompt_tokens"] == 360
    assert out["usage"]["thinking_tokens"] == 90
    assert [s["name"] for s in out["steps"]] == ["get_table", "sql_query"]
    assert b64bytes(gemini.requests[1].contents[1]["parts"][0]["thoughtSignature"]) == SIG
    assert gemini.requests[0].headers["x-goog-api-key"] == "test"


def test_cli_reports_model_errors_in_one_line(gemini: GeminiServer, shop: Path) -> None:
    gemini.enqueue_error(403, "Permission denied.")
    done = _cli(["ask", "--db", str(shop), "--model", "gemini-2.5-flash", "Anything?"],
                gemini.env())
    assert done.returncode == 2
    assert done.stderr.startswith("error: Gemini rejected the credentials (403")
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_without_credentials(shop: Path) -> None:
    done = _cli(["ask", "--db", str(shop), "--model", "gemini-2.5-flash", "Anything?"], {})
    assert done.returncode == 2
    assert done.stderr.startswith("error: Gemini is not configured")
    assert "GEMINI_API_KEY" in done.stderr and "--model offline" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
