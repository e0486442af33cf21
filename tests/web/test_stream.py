"""Server-Sent Events: progress while the model works, then the answer or an error."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from nl2sql.models.base import ModelTurn, Request
from nl2sql.web.stream import sse, stream_pool
from tests.web.fakes import AnalystModel
from tests.web.openapi import validate_events


def events(body: str) -> list[tuple[str, Any]]:
    out = []
    for chunk in body.split("\n\n"):
        lines = [line for line in chunk.split("\n") if line and not line.startswith(":")]
        if not lines:
            continue
        name = next(line[7:] for line in lines if line.startswith("event: "))
        data = json.loads("".join(line[6:] for line in lines if line.startswith("data: ")))
        out.append((name, data))
    return out


def test_progress_then_the_answer(client: FlaskClient) -> None:
    r = client.post("/api/ask/stream", json={"question": "How many orders by status?"})
    assert r.status_code == 200 and r.mimetype == "text/event-stream"
    assert r.headers["Cache-Control"] == "no-cache"
    got = events(r.get_data(as_text=True))
    names = [n for n, _ in got]
    assert names[0] == "model_started" and names[-1] == "answer"
    assert names.count("answer") == 1 and "error" not in names
    started = [d for n, d in got if n == "step_started"]
    finished = [d for n, d in got if n == "step_finished"]
    assert [d["name"] for d in started] == ["list_datasets", "get_table", "sql_query"]
    assert {d["id"] for d in started} == {d["id"] for d in finished} | {"call-0"}
    assert all(d["ok"] for d in finished)
    answer = got[-1][1]
    assert answer["ok"] is True and answer["chart"]["kind"] == "bar"
    # The streamed answer is the saved one.
    assert client.get(f"/api/answers/{answer['answer_id']}").json["rows"] == answer["rows"]


def test_get_with_query_parameters_and_a_follow_up(client: FlaskClient) -> None:
    first = events(client.get("/api/ask/stream?question=How+many+orders+are+there%3F")
                   .get_data(as_text=True))[-1][1]
    r = client.get("/api/ask/stream", query_string={
        "question": "And only the Returned ones?", "conversation_id": first["conversation_id"]})
    name, answer = events(r.get_data(as_text=True))[-1]
    assert name == "answer" and "'Returned'" in answer["sql"]
    assert answer["conversation_id"] == first["conversation_id"]


def test_failures_after_the_start_are_an_error_event(client: FlaskClient) -> None:
    r = client.post("/api/ask/stream", json={"question": "Is the model down?"})
    assert r.status_code == 200
    got = events(r.get_data(as_text=True))
    assert got[-1] == ("error", {"ok": False, "status": 503,
                                 "error": "the language model is unavailable (test)"})


def test_failures_before_the_start_are_plain_errors(make_app: Callable[..., Flask]) -> None:
    client = make_app(rate_limit="1/hour").test_client()
    assert client.post("/api/ask/stream", json={}).status_code == 400
    assert client.get("/api/ask/stream").status_code == 400
    r = client.post("/api/ask/stream", json={"question": "q", "conversation_id": "a" * 24})
    assert r.status_code == 404 and r.json["status"] == 404
    assert client.post("/api/ask/stream", json={"question": "q"}).status_code == 200
    r = client.post("/api/ask/stream", json={"question": "q"})
    assert r.status_code == 429 and r.mimetype == "application/json"


def test_sse_frames_are_single_line_json() -> None:
    frame = sse("answer", {"answer": "two\nlines", "rows": [[1]]})
    assert frame == 'event: answer\ndata: {"answer": "two\\nlines", "rows": [[1]]}\n\n'


class Held(AnalystModel):
    """Waits at its first turn until released, like a slow model."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.release = threading.Event(), threading.Event()

    def generate(self, request: Request) -> ModelTurn:
        self.started.set()
        self.release.wait(10)
        return super().generate(request)


def test_streams_share_a_bounded_pool(make_app: Callable[..., Flask]) -> None:
    """Agents run on the app's pool, not a new thread per stream: when it is
    full (here 1 running, none waiting) the next stream is refused with 503."""
    model = Held()
    app = make_app(model=model, stream_workers=1, stream_waiting=0)
    ask = {"question": "How many orders are there?"}
    first: list[str] = []
    holder = threading.Thread(target=lambda: first.append(
        app.test_client().post("/api/ask/stream", json=ask).get_data(as_text=True)))
    holder.start()
    try:
        assert model.started.wait(5)
        r = app.test_client().post("/api/ask/stream", json=ask)
        assert r.status_code == 503 and r.json["status"] == 503
        assert r.headers["Retry-After"] == "5" and "try again" in r.json["error"]
    finally:
        model.release.set()
        holder.join(10)
    assert events(first[0])[-1][0] == "answer"
    # The slot is free again once the first job has returned.
    assert stream_pool(app).wait_idle(5)
    again = app.test_client().post("/api/ask/stream", json=ask).get_data(as_text=True)
    assert events(again)[-1][0] == "answer"


def test_stream_events_are_checked_against_the_spec() -> None:
    """The validating client checks answer/error events; it must catch a bad one."""
    assert validate_events(sse("error", {"ok": False, "error": "x", "status": 503})) == 1
    with pytest.raises(jsonschema.ValidationError):
        validate_events(sse("error", {"ok": False, "error": "x"}))
    with pytest.raises(jsonschema.ValidationError):
        validate_events(sse("answer", {"ok": True, "question": "q"}))
