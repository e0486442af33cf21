"""The conversation since the latest question (a *round*), calls paired with responses.

The planner is stateless: each turn it re-reads the round and rebuilds what it knows
(``catalog.Catalog.from_round``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nl2sql.models.base import FunctionCall, FunctionResponse, Message

# Call-id prefixes: how the planner recognises its own queries when it re-reads history.
LOOKUP_ID = "lookup"
QUERY_ID = "query"
REPAIR_ID = "repair"
PROBE_ID = "keyprobe"  # whose key a column's values fall in (keyprobe.py)
# A probe row: the column probed, a candidate key, how many distinct values were
# sampled, and how many of those the key does not hold.
MIN_PROBED_VALUES = 2  # one shared value is a coincidence, not evidence


@dataclass
class Exchange:
    call: FunctionCall
    response: FunctionResponse | None
    turn: int = 0  # which model turn of the round made the call

    @property
    def output(self) -> Any:
        return (self.response.response or {}).get("output") if self.response else None

    @property
    def error(self) -> str | None:
        if self.response is None:
            return "no response"
        err = (self.response.response or {}).get("error")
        return str(err) if err is not None else None


@dataclass
class Round:
    """The history since the latest question, and the questions before it."""

    question: str
    previous: list[str]
    exchanges: list[Exchange]
    turns: int  # model turns already taken in this round

    def calls(self, name: str) -> list[Exchange]:
        return [e for e in self.exchanges if e.call.name == name]

    def turns_calling(self, name: str) -> int:
        return len({e.turn for e in self.calls(name)})

    def queries(self, prefix: str) -> list[Exchange]:
        return [e for e in self.calls("sql_query") if (e.call.id or "").startswith(prefix)]


def read_round(history: list[Message]) -> Round:
    """Split ``history`` at the latest user question and pair calls with responses."""
    last = max((i for i, m in enumerate(history) if m.role == "user" and m.text), default=-1)
    previous = [m.text or "" for m in history[: max(last, 0)] if m.role == "user" and m.text]
    question = history[last].text or "" if last >= 0 else ""
    exchanges: list[Exchange] = []
    pending: list[Exchange] = []
    turns = 0
    for m in history[last + 1:]:
        if m.role == "model":
            turns += 1
            pending = [Exchange(c, None, turns) for c in m.calls]
            exchanges.extend(pending)
        elif m.role == "tool":
            by_id = {e.call.id: e for e in pending if e.call.id}
            for i, r in enumerate(m.responses):
                target = by_id.get(r.id) if r.id else None
                if target is None and i < len(pending):
                    target = pending[i]
                if target is not None:
                    target.response = r
    return Round(question, previous, exchanges, turns)
