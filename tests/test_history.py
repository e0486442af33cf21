"""Conversation trimming: the budget a follow-up question's earlier turns are cut to."""

from __future__ import annotations

from nl2sql.history import (
    HistoryBudget,
    estimate_tokens,
    message_chars,
    split_exchanges,
    trim,
)
from nl2sql.models.base import FunctionCall, FunctionResponse, Message


def exchange(i: int, rows: int = 3, native: bool = False) -> list[Message]:
    call = Message("model", calls=[FunctionCall("sql_query", {"query": f"SELECT {i}"}, id=f"c{i}")],
                   native={"role": "model", "parts": [
                       {"function_call": {"name": "sql_query", "args": {"query": f"SELECT {i}"},
                                          "id": f"c{i}"},
                        "thought_signature": "c2ln"}]} if native else None)
    result = {"output": {"columns": ["n"], "rows": [[j] for j in range(rows)],
                         "row_count": rows, "truncated": False}}
    return [
        Message("user", text=f"question {i}"),
        call,
        Message("tool", responses=[FunctionResponse("sql_query", result, id=f"c{i}")]),
        Message("model", text=f"answer {i}"),
    ]


def texts(messages: list[Message]) -> list[str | None]:
    return [m.text for m in messages if m.role in ("user", "model") and m.text]


def test_small_conversation_is_kept_whole() -> None:
    messages = exchange(1) + exchange(2)
    assert trim(messages) == messages


def test_older_exchanges_keep_question_and_answer_only() -> None:
    messages = exchange(1) + exchange(2) + exchange(3)
    out = trim(messages, HistoryBudget(full_exchanges=1))
    assert [m.role for m in out] == ["user", "model", "user", "model",
                                     "user", "model", "tool", "model"]
    assert texts(out) == ["question 1", "answer 1", "question 2", "answer 2",
                          "question 3", "answer 3"]


def test_max_exchanges_drops_the_oldest() -> None:
    messages = [m for i in range(6) for m in exchange(i)]
    out = trim(messages, HistoryBudget(max_exchanges=2))
    assert texts(out) == ["question 4", "answer 4", "question 5", "answer 5"]


def test_character_budget_bounds_the_total() -> None:
    messages = [m for i in range(50) for m in exchange(i, rows=40)]
    budget = HistoryBudget(max_chars=2_000, max_exchanges=50)
    out = trim(messages, budget)
    assert sum(message_chars(m) for m in out) <= budget.max_chars
    assert texts(out)[-2:] == ["question 49", "answer 49"]
    assert out[0].role == "user"


def test_large_results_lose_rows_first() -> None:
    messages = exchange(1, rows=2_000)
    out = trim(messages, HistoryBudget(max_result_chars=500))
    output = out[2].responses[0].response["output"]
    assert output["row_count"] == 2_000
    assert 0 < len(output["rows"]) < 2_000
    assert output["rows_omitted_in_history"] == 2_000 - len(output["rows"])
    assert message_chars(out[2]) <= 600
    assert messages[2].responses[0].response["output"]["rows"][1999] == [1999]  # not mutated


def test_native_turns_are_kept_unchanged() -> None:
    messages = exchange(1, native=True)
    out = trim(messages)
    assert out[1].native == messages[1].native


def test_an_exchange_cut_short_becomes_question_and_answer() -> None:
    broken = exchange(1)[:2]  # the model called, no response followed
    out = trim(broken + exchange(2))
    assert [m.role for m in out[:2]] == ["user", "model"]
    assert out[1].calls == [] and out[1].text == "(no answer was given)"
    assert split_exchanges(out)[1] == exchange(2)


def test_estimate_tokens() -> None:
    assert estimate_tokens(0) == 0
    assert estimate_tokens(9) == 3
