"""Prometheus metrics through ``prometheus_client``.

gunicorn runs several worker processes and a scrape reaches only one of them,
so under gunicorn the client's multiprocess mode is used: each worker writes
its values to memory-mapped files in ``PROMETHEUS_MULTIPROC_DIR`` (set up by
``nl2sql.web.gunicorn_conf`` and ``nl2sql serve``), and ``render()`` sums the
files of every worker, live or gone. Without that directory (tests, ``serve
--dev``, the CLI) each ``Metrics`` keeps its own in-memory registry. Nothing is
written to the state database per request.

Label values are bounded: HTTP methods map onto a fixed set, paths onto the
matched route (``unmatched`` otherwise), so no request can create a series.

``METRICS`` is the one place a metric is declared, and the methods of
``Metrics`` (``record_answer``, ``record_request``, ``count_error``,
``count_bytes``) the one place each is updated: callers never name a metric,
so changing how metrics are kept touches this module only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.multiprocess import MultiProcessCollector

from nl2sql.answer import Answer

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SECONDS_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class Metric:
    name: str
    type: Literal["counter", "histogram"]
    help: str
    labels: tuple[str, ...] = ()  # in the order exposed (alphabetical)
    buckets: tuple[float, ...] = ()


METRICS = {m.name: m for m in (
    Metric("nl2sql_http_requests_total", "counter", "HTTP requests by method, route and status.",
           ("endpoint", "method", "status")),
    Metric("nl2sql_http_request_seconds", "histogram", "HTTP request handling time by route.",
           ("endpoint",), SECONDS_BUCKETS),
    Metric("nl2sql_answers_total", "counter",
           "Questions answered, by interface and whether the model found an answer.",
           ("answered", "interface")),
    Metric("nl2sql_errors_total", "counter", "Errors returned to users, by status and kind.",
           ("kind", "status")),
    Metric("nl2sql_model_calls_total", "counter", "Model turns requested, by model.", ("model",)),
    Metric("nl2sql_model_tokens_total", "counter", "Model tokens, by model and kind.",
           ("kind", "model")),
    Metric("nl2sql_queries_total", "counter", "SQL queries the model ran, by outcome.", ("ok",)),
    Metric("nl2sql_query_seconds", "histogram", "Time of each SQL query the model ran.",
           (), SECONDS_BUCKETS),
    Metric("nl2sql_bytes_processed_total", "counter",
           "Bytes the warehouse reported processing for answers' queries."),
    Metric("nl2sql_feedback_total", "counter", "Votes on answers, by vote and interface.",
           ("interface", "vote")),
)}

Update = tuple[str, dict[str, str], float]  # (metric name, labels, amount or observation)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def http_method(method: str) -> str:
    """The method as a label value: one of a fixed set, so none creates a series."""
    method = method.upper()
    return method if method in HTTP_METHODS else "other"


class Metrics:
    def __init__(self) -> None:
        self.multiprocess = multiprocess_dir() is not None
        if self.multiprocess:
            # The client picks its value store when first imported; gunicorn's
            # master may import us before its hook sets the directory, so pick
            # again now, in the worker.
            values.ValueClass = values.get_value_class()
        else:
            values.ValueClass = values.MutexValue
        prometheus_client.disable_created_metrics()  # *_created samples: noise here
        self.registry = CollectorRegistry(auto_describe=True)
        self._metrics: dict[str, Any] = {}
        for m in METRICS.values():
            if m.type == "counter":
                self._metrics[m.name] = Counter(m.name, m.help, m.labels,
                                                registry=self.registry)
            else:
                self._metrics[m.name] = Histogram(m.name, m.help, m.labels,
                                                  buckets=m.buckets, registry=self.registry)

    def inc(self, name: str, labels: dict[str, str] | None = None, amount: float = 1.0) -> None:
        self.record([(name, labels or {}, amount)])

    def observe(self, name: str, value: float, labels: dict[str, str] | None = None) -> None:
        self.record([(name, labels or {}, value)])

    def record(self, updates: Iterable[Update]) -> None:
        """Apply counter increments and histogram observations."""
        for name, labels, amount in updates:
            metric = self._metrics[name]
            child = metric.labels(**{k: str(v) for k, v in labels.items()}) if labels else metric
            try:
                if METRICS[name].type == "counter":
                    child.inc(amount)
                else:
                    child.observe(amount)
            except (OSError, ValueError) as e:
                # Counting is best effort: a full disk must not fail the request counted.
                log.warning("metric %s not recorded: %s", name, e)

    def record_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """One HTTP request: counted by method, route and status; timed by route.
        ``route`` must be the matched URL rule (or ``unmatched``), never the path."""
        self.record([
            ("nl2sql_http_requests_total",
             {"method": http_method(method), "endpoint": route, "status": str(status)}, 1),
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
        """The text exposition format: every worker's values summed under gunicorn."""
        if self.multiprocess:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return generate_latest(registry).decode()
        return generate_latest(self.registry).decode()
