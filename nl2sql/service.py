"""The answer service: asking a question on behalf of a user, the one path every
interface (web API, stream, Slack, MCP, reports) shares.

``Asker.prepare`` does what can fail fast (the conversation lookup, the rate
limit) so an HTTP endpoint can still answer 404/429 before it starts a stream;
``Asker.run`` runs the agent, picks the chart, saves the turn, counts metrics
and logs. ``Services.build`` wires one runtime to its state (conversations,
rate limits, metrics) and the asker; interfaces hold one ``Services``.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nl2sql.agent import Event
from nl2sql.answer import Answer
from nl2sql.errors import BadRequest
from nl2sql.history import Conversation
from nl2sql.metrics import Metrics
from nl2sql.overview import Overview
from nl2sql.presentation.charts import chart_for
from nl2sql.ratelimit import RateLimiter
from nl2sql.runtime import Runtime
from nl2sql.state import ConversationStore, StateDB

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
_ID = re.compile(r"^[0-9a-f]{24}$")


def parse_ask(payload: object) -> tuple[str, str | None]:
    """``(question, conversation_id)`` from a request body or query; 400 when malformed."""
    if not isinstance(payload, dict):
        raise BadRequest('send a JSON object like {"question": "How many orders are there?"}')
    question = payload.get("question")
    if not isinstance(question, str) or not question.strip():
        raise BadRequest("'question' must be a non-empty string")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadRequest(f"'question' is longer than {MAX_QUESTION_CHARS} characters")
    conversation_id = payload.get("conversation_id")
    if conversation_id == "":  # the page sends an empty id for a new conversation
        conversation_id = None
    if conversation_id is not None and not (
            isinstance(conversation_id, str) and _ID.match(conversation_id)):
        raise BadRequest("'conversation_id' must be an id returned by a previous answer")
    return question.strip(), conversation_id


def valid_id(value: str) -> bool:
    return bool(_ID.match(value))


@dataclass
class Pending:
    """A question that passed the fast checks and is ready to run."""

    user: str
    question: str
    conversation_id: str | None
    history: Conversation | None
    interface: str
    request_id: str | None = None


class _Timings:
    """Splits wall time into model time and the rest from the agent's events."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.model_s = 0.0
        self._model_since: float | None = None
        self._lock = threading.Lock()  # parallel calls emit from several threads

    def on_event(self, event: Event) -> None:
        now = time.perf_counter()
        with self._lock:
            if event["event"] == "model_started":
                self._model_since = now
            elif self._model_since is not None and event["event"] in ("step_started", "answer"):
                self.model_s += now - self._model_since
                self._model_since = None

    def to_dict(self, answer: Answer) -> dict[str, float]:
        total = time.perf_counter() - self.started
        query = sum(s.seconds for s in answer.steps if s.name == "sql_query")
        return {"total_s": round(total, 4), "model_s": round(self.model_s, 4),
                "tools_s": round(max(total - self.model_s, 0.0), 4), "query_s": round(query, 4)}


def api_object(answer: Answer) -> dict[str, Any]:
    """The answer as the API stores it (the store adds its ids, ``present`` adds ``ok``
    and links): the ``--json`` fields, whether it answered, the row counts, the chart
    and the timings."""
    chart = chart_for(answer.columns, answer.rows, truncated=answer.truncated,
                      total_rows=answer.total_rows)
    data = answer.to_dict()
    data.update(answered=answer.answered, row_count=len(answer.rows),
                total_rows=answer.total_rows, chart=chart.to_dict() if chart else None,
                timings=answer.timings)
    return data


class Asker:
    def __init__(self, runtime: Runtime, store: ConversationStore, limiter: RateLimiter,
                 metrics: Metrics) -> None:
        self.runtime = runtime
        self.store = store
        self.limiter = limiter
        self.metrics = metrics

    def prepare(self, user: str, question: str, conversation_id: str | None = None, *,
                interface: str = "web", request_id: str | None = None,
                rate_key: str | None = None) -> Pending:
        """Look up the conversation (404 if not the user's) and count against the limit
        (429) of ``rate_key`` (default: the user)."""
        history = (self.store.get(conversation_id, user).conversation
                   if conversation_id else None)
        self.limiter.check(rate_key or user)
        return Pending(user, question, conversation_id, history, interface, request_id)

    def answer(self, pending: Pending, on_event: Callable[[Event], None] | None = None
               ) -> Answer:
        """Run the agent, save the turn, count and log it; the answer carries its ids.

        ``on_event`` receives the agent's progress events; the agent's own final
        ``answer`` event is held back because the saved answer (with its ids and
        chart) is what callers want.
        """
        return self._run(pending, on_event)[0]

    def run(self, pending: Pending, on_event: Callable[[Event], None] | None = None
            ) -> dict[str, Any]:
        """``answer``, as the API answer object (``ok: true``, all fields, links)."""
        return self.present(self._run(pending, on_event)[1])

    def _run(self, pending: Pending, on_event: Callable[[Event], None] | None
             ) -> tuple[Answer, dict[str, Any]]:
        timings = _Timings()

        def sink(event: Event) -> None:
            timings.on_event(event)
            if on_event is not None and event["event"] != "answer":
                on_event(event)

        # The warehouse hashes the user before it reaches job labels (BigQuery).
        agent = self.runtime.agent(labels={"interface": pending.interface, "user": pending.user})
        # With a listener, the answer text streams (answer_delta events) as it is written.
        answer, conversation = agent.ask(pending.question, pending.history, on_event=sink,
                                         stream=on_event is not None)
        answer.timings = timings.to_dict(answer)
        data = api_object(answer)
        answer.conversation_id, answer.answer_id = self.store.add_turn(
            pending.conversation_id, pending.user, conversation, data,
            interface=pending.interface)
        data.update(answer_id=answer.answer_id, conversation_id=answer.conversation_id)
        self.metrics.record_answer(answer, pending.interface)
        log.info("answer", extra={"fields": {
            "request_id": pending.request_id, "user": pending.user,
            "interface": pending.interface, "question": pending.question,
            "answered": answer.answered, "sql": answer.sql, "rows": len(answer.rows),
            "truncated": answer.truncated, "bytes_processed": answer.bytes_processed,
            "model": answer.model, "model_calls": answer.usage.model_calls,
            "steps": len(answer.steps), "timings": answer.timings,
            "conversation_id": answer.conversation_id, "answer_id": answer.answer_id,
        }})
        return answer, data

    def present(self, data: dict[str, Any]) -> dict[str, Any]:
        """A stored answer as the API returns it: ``ok`` and links added."""
        base = self.runtime.settings.public_url.rstrip("/")
        answer_id, conversation_id = data["answer_id"], data["conversation_id"]
        links = {
            "self": f"{base}/api/answers/{answer_id}",
            "csv": f"{base}/api/answers/{answer_id}.csv" if data.get("sql") else None,
            "chart_svg": f"{base}/api/answers/{answer_id}/chart.svg" if data.get("chart") else None,
            "conversation": f"{base}/api/conversations/{conversation_id}",
        }
        return {"ok": True, **data, "links": links}


@dataclass
class Services:
    """What an interface holds: the runtime plus the local state built on it."""

    runtime: Runtime
    db: StateDB
    store: ConversationStore
    limiter: RateLimiter
    metrics: Metrics
    asker: Asker
    overview: Overview

    @classmethod
    def build(cls, runtime: Runtime, *, state_db: StateDB | None = None,
              conversation_ttl_s: float | None = None) -> Services:
        settings = runtime.settings
        db = state_db or runtime.state_db or StateDB(settings.resolved_state_url())
        runtime.state_db = runtime.state_db or db  # verified queries and feedback live here
        db.engine()  # open (and migrate) now: a bad state URL fails at start, not mid-request
        ttl = conversation_ttl_s or settings.conversation_ttl_s
        store = ConversationStore(db, ttl_s=ttl)
        limiter = RateLimiter(settings.rate_limit, db)
        metrics = Metrics()
        return cls(runtime, db, store, limiter, metrics,
                   Asker(runtime, store, limiter, metrics), Overview(runtime))
