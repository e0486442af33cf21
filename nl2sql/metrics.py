"""Prometheus metrics, counted in the state database.

gunicorn runs several worker processes and a scrape reaches only one of them;
counters kept in process memory would jump between workers' values. Keeping
them in the shared SQLite file (one small write transaction per update) gives
every scrape the service-wide totals. ``render()`` writes the text exposition
format (version 0.0.4) by hand: it is a few lines and needs no dependency.

``METRICS`` is the one place a metric is declared, and the methods of
``Metrics`` (``record_answer``, ``record_request``, ``count_error``,
``count_bytes``) the one place each is updated: callers never name a metric,
so changing how metrics are kept touches this module only.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from nl2sql.answer import Answer
from nl2sql.state.db import StateDB

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SECONDS_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

SCHEMA = """
CREATE TABLE IF NOT EXISTS metrics (
    name TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (name, labels)
);
"""


@dataclass(frozen=True)
class Metric:
    name: str
    type: Literal["counter", "histogram"]
    help: str
    buckets: tuple[float, ...] = ()


METRICS = {m.name: m for m in (
    Metric("nl2sql_http_requests_total", "counter", "HTTP requests by method, route and status."),
    Metric("nl2sql_http_request_seconds", "histogram", "HTTP request handling time by route.",
           SECONDS_BUCKETS),
    Metric("nl2sql_answers_total", "counter",
           "Questions answered, by interface and whether the model found an answer."),
    Metric("nl2sql_errors_total", "counter", "Errors returned to users, by status and kind."),
    Metric("nl2sql_model_calls_total", "counter", "Model turns requested, by model."),
    Metric("nl2sql_model_tokens_total", "counter", "Model tokens, by model and kind."),
    Metric("nl2sql_queries_total", "counter", "SQL queries the model ran, by outcome."),
    Metric("nl2sql_query_seconds", "histogram", "Time of each SQL query the model ran.",
           SECONDS_BUCKETS),
    Metric("nl2sql_bytes_processed_total", "counter",
           "Bytes the warehouse reported processing for answers' queries."),
    Metric("nl2sql_feedback_total", "counter", "Votes on answers, by vote and interface."),
)}

Update = tuple[str, dict[str, str], float]  # (metric name, labels, amount or observation)


def _labels(labels: dict[str, str]) -> str:
    def esc(v: str) -> str:
        return v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    return ",".join(f'{k}="{esc(str(v))}"' for k, v in sorted(labels.items()))


def _le(bound: float) -> str:
    return "+Inf" if math.isinf(bound) else repr(float(bound))


class Metrics:
    def __init__(self, db: StateDB) -> None:
        self.db = db
        db.ensure_schema(SCHEMA)

    def inc(self, name: str, labels: dict[str, str] | None = None, amount: float = 1.0) -> None:
        self.record([(name, labels or {}, amount)])

    def observe(self, name: str, value: float, labels: dict[str, str] | None = None) -> None:
        self.record([(name, labels or {}, value)])

    def record(self, updates: Iterable[Update]) -> None:
        """Apply counter increments and histogram observations in one transaction."""
        rows: list[tuple[str, str, float]] = []
        for name, labels, amount in updates:
            metric = METRICS[name]
            if metric.type == "counter":
                rows.append((name, _labels(labels), amount))
                continue
            base = _labels(labels)
            for bound in (*metric.buckets, math.inf):
                if amount <= bound:  # buckets are stored cumulative, as exposed
                    # `le` goes last so samples can be grouped by the labels before it.
                    le = f'le="{_le(bound)}"'
                    rows.append((f"{name}_bucket", f"{base},{le}" if base else le, 1))
            rows.append((f"{name}_sum", _labels(labels), amount))
            rows.append((f"{name}_count", _labels(labels), 1))
        if not rows:
            return
        try:
            with self.db.tx() as conn:
                conn.executemany(
                    "INSERT INTO metrics VALUES (?, ?, ?) ON CONFLICT (name, labels) "
                    "DO UPDATE SET value = value + excluded.value", rows)
        except sqlite3.Error as e:
            # Counting is best effort: a full disk must not fail the request counted.
            log.warning("metrics not recorded: %s", e)

    def record_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """One HTTP request: counted by method, route and status; timed by route."""
        self.record([
            ("nl2sql_http_requests_total",
             {"method": method, "endpoint": route, "status": str(status)}, 1),
            ("nl2sql_http_request_seconds", {"endpoint": route}, seconds),
        ])

    def count_error(self, status: int, kind: str) -> None:
        """An error returned to a user (``kind`` is the exception's class name)."""
        self.inc("nl2sql_errors_total", {"status": str(status), "kind": kind})

    def count_bytes(self, processed: int | None) -> None:
        """Bytes a query outside an answer processed (a CSV export's)."""
        if processed:
            self.inc("nl2sql_bytes_processed_total", amount=processed)

    def record_answer(self, answer: Answer, interface: str) -> None:
        """Everything one answer adds: the answer, model calls, tokens, queries, bytes."""
        model = answer.model
        updates: list[Update] = [
            ("nl2sql_answers_total",
             {"interface": interface, "answered": str(answer.answered).lower()}, 1),
            ("nl2sql_model_calls_total", {"model": model}, answer.usage.model_calls),
        ]
        for kind in ("prompt", "output", "thinking"):
            tokens = getattr(answer.usage, f"{kind}_tokens")
            if tokens:
                updates.append(("nl2sql_model_tokens_total", {"model": model, "kind": kind},
                                tokens))
        for step in answer.steps:
            if step.name == "sql_query":
                updates.append(("nl2sql_queries_total", {"ok": str(step.ok).lower()}, 1))
                updates.append(("nl2sql_query_seconds", {}, step.seconds))
        if answer.bytes_processed:
            updates.append(("nl2sql_bytes_processed_total", {}, answer.bytes_processed))
        self.record(updates)

    def render(self) -> str:
        stored = {(r["name"], r["labels"]): r["value"] for r in
                  self.db.fetch("SELECT name, labels, value FROM metrics")}
        lines: list[str] = []
        for name, metric in METRICS.items():
            lines += [f"# HELP {name} {metric.help}", f"# TYPE {name} {metric.type}"]
            if metric.type == "counter":
                series = sorted(labels for (n, labels) in stored if n == name)
                lines += [f"{name}{_braces(labels)} {_number(stored[(name, labels)])}"
                          for labels in series]
                if not series:
                    lines.append(f"{name} 0")
                continue
            for labels in sorted(labels for (n, labels) in stored if n == f"{name}_count"):
                for bound in (*metric.buckets, math.inf):
                    le = f'le="{_le(bound)}"'
                    key = (f"{name}_bucket", f"{labels},{le}" if labels else le)
                    # A bucket row exists once an observation fell in it; until then it is 0.
                    lines.append(f"{name}_bucket{_braces(key[1])} {_number(stored.get(key, 0))}")
                for part in ("sum", "count"):
                    value = stored[(f"{name}_{part}", labels)]
                    lines.append(f"{name}_{part}{_braces(labels)} {_number(value)}")
        return "\n".join(lines) + "\n"


def _braces(labels: str) -> str:
    return f"{{{labels}}}" if labels else ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
