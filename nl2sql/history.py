"""Conversation trimming: what of the earlier turns a follow-up question carries.

A follow-up is sent with the earlier exchanges (question, function calls and
results, answer) so "and by month?" makes sense. Without a bound, every
question would resend every earlier result, so the earlier part is trimmed to
a budget (``HistoryBudget``), from the newest exchange backwards:

1. at most ``max_exchanges`` earlier exchanges are kept;
2. the newest ``full_exchanges`` keep their calls and results, each result cut
   to ``max_result_chars`` (rows dropped first, the count kept);
3. older ones keep only the question and the answer text;
4. whole exchanges are dropped, oldest first, until the total is at most
   ``max_chars`` characters (about ``max_chars / 4`` tokens).

Trimming never splits a model turn from the responses to its calls, and keeps
model turns' ``native`` copies unchanged (Gemini's thought signatures).
The question being asked now is never trimmed: only ``Conversation.messages``
from before it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from nl2sql.models.base import FunctionResponse, Message

#: Characters per token, the usual rough estimate for English text and JSON.
CHARS_PER_TOKEN = 4


@dataclass
class Conversation:
    """The messages so far; pass it back to ``Agent.ask`` for a follow-up question."""

    messages: list[Message] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryBudget:
    max_chars: int = 32_000  # ≈ 8k tokens of earlier conversation
    max_exchanges: int = 10
    full_exchanges: int = 2
    max_result_chars: int = 4_000


DEFAULT_BUDGET = HistoryBudget()


def trim(messages: list[Message], budget: HistoryBudget = DEFAULT_BUDGET) -> list[Message]:
    """Earlier ``messages`` cut to ``budget`` (see the module docstring)."""
    exchanges = split_exchanges(messages)[-budget.max_exchanges:] if budget.max_exchanges else []
    kept: list[list[Message]] = []
    total = 0
    for age, exchange in enumerate(reversed(exchanges)):
        if age < budget.full_exchanges:
            shaped = [_compact(m, budget.max_result_chars) for m in exchange]
        else:
            shaped = question_and_answer(exchange)
        size = sum(message_chars(m) for m in shaped)
        if total + size > budget.max_chars:
            # A full exchange that does not fit may still fit as question + answer.
            shaped = question_and_answer(exchange)
            size = sum(message_chars(m) for m in shaped)
            if total + size > budget.max_chars:
                break
        kept.append(shaped)
        total += size
    return [m for exchange in reversed(kept) for m in exchange]


def split_exchanges(messages: list[Message]) -> list[list[Message]]:
    """Group messages into exchanges, each starting at a user question."""
    out: list[list[Message]] = []
    for m in messages:
        if m.role == "user" or not out:
            out.append([])
        out[-1].append(m)
    return [_well_formed(e) for e in out if e and e[0].role == "user"]


def question_and_answer(exchange: list[Message]) -> list[Message]:
    """The exchange as its question and the model's final text."""
    question = exchange[0]
    last = exchange[-1]
    if last.role == "model" and last.text and not last.calls:
        return [question, last]
    answer = next((m.text for m in reversed(exchange) if m.role == "model" and m.text), None)
    return [question, Message("model", text=answer or "(no answer was given)")]


def message_chars(message: Message) -> int:
    """Characters this message costs when sent (text, calls and results as JSON)."""
    if message.native is not None:
        return len(json.dumps(message.native, ensure_ascii=False, default=str))
    payload: list[Any] = [message.text or ""]
    payload += [[c.name, c.args] for c in message.calls]
    payload += [[r.name, r.response] for r in message.responses]
    return len(json.dumps(payload, ensure_ascii=False, default=str))


def estimate_tokens(chars: int) -> int:
    return -(-chars // CHARS_PER_TOKEN)


def _well_formed(exchange: list[Message]) -> list[Message]:
    """Every model turn with calls must be followed by the responses to them; an
    exchange that stopped in between (an error, a step limit) is cut there and
    shown as question and answer."""
    for i, m in enumerate(exchange):
        if m.role == "model" and m.calls:
            nxt = exchange[i + 1] if i + 1 < len(exchange) else None
            if nxt is None or nxt.role != "tool" or len(nxt.responses) != len(m.calls):
                return question_and_answer(exchange)
    if exchange[-1].role != "model":
        return question_and_answer(exchange)
    return exchange


def _compact(message: Message, limit: int) -> Message:
    if message.role != "tool":
        return message
    return replace(message, responses=[_compact_response(r, limit) for r in message.responses])


def _compact_response(response: FunctionResponse, limit: int) -> FunctionResponse:
    size = len(json.dumps(response.response, ensure_ascii=False, default=str))
    if size <= limit:
        return response
    output = response.response.get("output")
    if isinstance(output, dict) and isinstance(output.get("rows"), list):
        rows = output["rows"]
        kept = list(rows)
        while kept:
            kept = kept[: len(kept) // 2]
            candidate = {**output, "rows": kept, "rows_omitted_in_history": len(rows) - len(kept)}
            if len(json.dumps(candidate, ensure_ascii=False, default=str)) <= limit:
                return replace(response, response={"output": candidate})
    note = (f"{size} characters of this result were dropped from the conversation history; "
            "call the function again if you need them")
    return replace(response, response={"output": {"omitted": note}})
