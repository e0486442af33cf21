"""Structured JSON logs: request ids, users, questions, SQL and timings; no secrets."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from flask import Flask

from nl2sql.web.logs import JsonFormatter


def fields(caplog: pytest.LogCaptureFixture, message: str) -> list[dict]:
    return [r.fields for r in caplog.records if r.getMessage() == message]  # type: ignore[attr-defined]


def test_answer_and_request_logs(make_app: Callable[..., Flask],
                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="nl2sql")
    client = make_app(api_tokens=("sekrit-token",)).test_client()
    r = client.post("/api/ask", json={"question": "How many orders by status?"},
                    headers={"Authorization": "Bearer sekrit-token", "X-Request-Id": "req-42"})
    assert r.headers["X-Request-Id"] == "req-42"
    (answer,) = fields(caplog, "answer")
    assert answer["request_id"] == "req-42" and answer["user"].startswith("token:")
    assert answer["question"] == "How many orders by status?"
    assert answer["sql"].startswith("SELECT status") and answer["rows"] == 5
    assert "bytes_processed" in answer and answer["timings"]["total_s"] > 0
    request = [f for f in fields(caplog, "request") if f["route"] == "/api/ask"][0]
    assert request["status"] == 200 and request["request_id"] == "req-42"
    rendered = "\n".join(JsonFormatter().format(rec) for rec in caplog.records)
    assert "sekrit-token" not in rendered


def test_request_ids_are_made_when_missing_or_unsafe(make_app: Callable[..., Flask]) -> None:
    client = make_app().test_client()
    made = client.get("/healthz").headers["X-Request-Id"]
    assert len(made) == 16
    unsafe = client.get("/healthz", headers={"X-Request-Id": "a\" b"}).headers["X-Request-Id"]
    assert unsafe != "a\" b" and len(unsafe) == 16


def test_json_formatter() -> None:
    record = logging.LogRecord("nl2sql.web", logging.WARNING, __file__, 1, "error", None, None)
    record.fields = {"status": 429, "user": "ann@example.com"}  # type: ignore[attr-defined]
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "error" and line["level"] == "warning"
    assert line["status"] == 429 and line["user"] == "ann@example.com"
    assert line["time"].endswith("Z")
