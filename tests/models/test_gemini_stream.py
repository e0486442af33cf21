"""The answer streams: chunks of streamGenerateContent from the scripted Gemini
endpoint reach an SSE client of the live app over HTTP while Gemini is still
writing, through the real google-genai SDK."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from nl2sql.config import Settings
from nl2sql.models.gemini import GeminiModel, RetryPolicy
from nl2sql.models.gemini_wire import merge_chunks
from tests.fakes.gemini import GeminiServer, calls, empty_stop, response, text
from tests.shop import build_shop
from tests.web.live import serve


@pytest.fixture
def gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[GeminiServer]:
    with GeminiServer() as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        yield server


def _chunk(piece: str, **kw: Any) -> dict[str, Any]:
    kw.setdefault("finish_reason", None)
    kw.setdefault("usage", None)
    return response([{"text": piece}], **kw)


def sse_events(base: str, path: str, body: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """POST and yield (event, data) as each event arrives on the socket."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    reply = conn.getresponse()
    assert reply.status == 200 and reply.getheader("Content-Type", "").startswith(
        "text/event-stream")
    name = None
    try:
        while True:
            line = reply.readline()
            if not line:
                return
            line = line.rstrip(b"\r\n")
            if line.startswith(b"event: "):
                name = line[7:].decode()
            elif line.startswith(b"data: ") and name:
                yield name, json.loads(line[6:])
                name = None
    finally:
        conn.close()


def test_answer_words_reach_the_sse_client_while_gemini_writes(
        gemini: GeminiServer, tmp_path: Path) -> None:
    from nl2sql.web import create_app, runtime_of

    release = threading.Event()
    gemini.enqueue(calls(("sql_query", {"query": "SELECT COUNT(*) AS n FROM shop.purchases"})))
    gemini.enqueue({}, chunks=[_chunk("There are "), _chunk("200 purchases"),
                               _chunk(" in shop.purchases.", finish_reason="STOP",
                                      usage={"promptTokenCount": 50, "totalTokenCount": 60,
                                             "candidatesTokenCount": 10})],
                   hold=(2, release))
    app = create_app(Settings(warehouse=f"duckdb:///{build_shop(tmp_path)}",
                              model="gemini-2.5-flash", allowed_datasets=("shop",),
                              state_db=str(tmp_path / "state.sqlite3")))
    seen: list[tuple[str, Any]] = []
    try:
        with serve(app) as base:
            for name, data in sse_events(base, "/api/ask/stream",
                                         {"question": "How many purchases?"}):
                seen.append((name, data))
                if name == "answer_delta" and data["text"] == "200 purchases":
                    # Gemini has not sent its last chunk yet: the words came as written
                    assert not release.is_set()
                    release.set()
    finally:
        release.set()
        runtime_of(app).close()

    deltas = [d["text"] for n, d in seen if n == "answer_delta"]
    assert deltas == ["There are ", "200 purchases", " in shop.purchases."]
    answer = next(d for n, d in seen if n == "answer")
    assert answer["answer"] == "There are 200 purchases in shop.purchases."
    assert answer["rows"] == [[200]] and answer["usage"]["model_calls"] == 2
    assert [r.action for r in gemini.requests] == ["streamGenerateContent"] * 2
    assert gemini.rejected == [] and gemini.pending == 0


def test_text_before_calls_is_reset_and_bad_streamed_turns_recover(
        gemini: GeminiServer, tmp_path: Path) -> None:
    from nl2sql.agent import Agent
    from nl2sql.warehouse.duckdb import DuckDBWarehouse

    gemini.enqueue({}, chunks=[_chunk("Let me look. "), calls(
        ("sql_query", {"query": "SELECT 1 AS one"}), usage=None)])
    gemini.enqueue({}, chunks=[empty_stop()])
    gemini.enqueue(text("One."))
    wh = DuckDBWarehouse(build_shop(tmp_path))
    events: list[dict[str, Any]] = []
    try:
        model = GeminiModel("gemini-2.5-flash", retry=RetryPolicy(attempts=1))
        answer, _ = Agent(model, wh, Settings(allowed_datasets=("shop",))).ask(
            "One?", on_event=events.append, stream=True)
    finally:
        wh.close()
    assert answer.answer == "One." and answer.rows == [[1]]
    names = [(e["event"], e.get("text")) for e in events if e["event"].startswith("answer_")]
    assert names == [("answer_delta", "Let me look. "), ("answer_reset", None),
                     ("answer_delta", "One.")]
    assert gemini.requests[2].function_calling == {"mode": "AUTO"}  # results in: no forcing
    assert gemini.requests[2].generation_config["temperature"] == 0


def test_chunks_merge_into_one_turn_keeping_the_signature() -> None:
    from google.genai import types

    chunks = [types.GenerateContentResponse.model_validate(c) for c in (
        _chunk("Hel"), _chunk("lo"),
        response([{"text": "", "thoughtSignature": "c2ln"}], usage={"promptTokenCount": 3}))]
    merged = merge_chunks(chunks)
    (part,) = merged.candidates[0].content.parts  # type: ignore[index,union-attr]
    assert part.text == "Hello" and part.thought_signature == b"sig"
    assert merged.candidates[0].finish_reason == "STOP"  # type: ignore[index]
    assert merged.usage_metadata is not None and merged.usage_metadata.prompt_token_count == 3
