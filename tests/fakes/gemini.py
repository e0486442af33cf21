"""A scripted Gemini endpoint: a local HTTP server speaking the Gemini API's wire format.

Queue responses with ``enqueue(json)`` (or ``enqueue_error``), point google-genai at
``server.url`` through ``GOOGLE_GEMINI_BASE_URL`` (see ``env()``), and read what
the SDK really sent in ``server.requests``. It answers

    POST /{version}/models/{model}:generateContent
    POST /{version}/models/{model}:streamGenerateContent?alt=sse

(and the same under ``projects/P/locations/L/publishers/google/``, Vertex AI's
shape) with the next queued response, in order. An unqueued request gets a 400
FAILED_PRECONDITION and is counted in ``unexpected``.

Like the real API, it refuses (400 INVALID_ARGUMENT) a request whose function
responses do not answer every call of the model turn before them in one
content. A queued answer the real model could not give under the request's tool
mode (text under ANY, a call outside ``allowedFunctionNames``, a call under
NONE) is a script error: 400 FAILED_PRECONDITION. Both are listed in ``rejected``.

    with GeminiServer() as server:
        server.enqueue(calls(("list_datasets", {}), signature=b"sig"))
        server.enqueue(text("Done."))
        monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", server.url)
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

_ROUTE = re.compile(r"^/[^/]+/(?:.*/)?models/(?P<model>[^/:]+):(?P<action>generateContent|"
                    r"streamGenerateContent)$")

DEFAULT_USAGE = {"promptTokenCount": 120, "candidatesTokenCount": 12,
                 "thoughtsTokenCount": 30, "totalTokenCount": 162}


# -- response builders (the JSON the real API returns) -----------------------------------


def signature(raw: bytes) -> str:
    """A thought signature as it appears on the wire (base64)."""
    return base64.b64encode(raw).decode()


def response(parts: list[dict[str, Any]], *, finish_reason: str | None = "STOP",
             usage: dict[str, int] | None = DEFAULT_USAGE,
             model_version: str = "gemini-2.5-flash") -> dict[str, Any]:
    """A ``GenerateContentResponse`` with one candidate holding ``parts``."""
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
    if finish_reason:
        candidate["finishReason"] = finish_reason
    out: dict[str, Any] = {"candidates": [candidate], "modelVersion": model_version,
                           "responseId": f"resp-{time.monotonic_ns()}"}
    if usage is not None:
        out["usageMetadata"] = dict(usage)
    return out


def text(answer: str, *, signature_bytes: bytes | None = None, **kw: Any) -> dict[str, Any]:
    """A text answer; Gemini 3 puts a signature on the last part of such a turn."""
    part: dict[str, Any] = {"text": answer}
    if signature_bytes is not None:
        part["thoughtSignature"] = signature(signature_bytes)
    return response([part], **kw)


def calls(*specs: tuple[str, Any], signature_bytes: bytes | None = None, ids: bool = True,
          text_before: str | None = None, **kw: Any) -> dict[str, Any]:
    """A turn of (parallel) function calls; the signature goes on the first call part,
    as the API does for parallel calls."""
    parts: list[dict[str, Any]] = [{"text": text_before}] if text_before else []
    for i, (name, args) in enumerate(specs):
        call: dict[str, Any] = {"name": name, "args": args}
        if ids:
            call["id"] = f"fc-{i}-{name}"
        part: dict[str, Any] = {"functionCall": call}
        if i == 0 and signature_bytes is not None:
            part["thoughtSignature"] = signature(signature_bytes)
        parts.append(part)
    return response(parts, **kw)


def error(code: int, message: str, status: str) -> dict[str, Any]:
    """A google.rpc error body, as the API sends with a non-200 status."""
    return {"error": {"code": code, "message": message, "status": status}}


def quota_error(retry_delay: str | None = "37s") -> dict[str, Any]:
    """The API's 429 for a per-minute quota, with the RetryInfo it carries."""
    body = error(429, "You exceeded your current quota, please check your plan and billing "
                      "details.", "RESOURCE_EXHAUSTED")
    details: list[dict[str, Any]] = [{
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [{"quotaMetric": "generativelanguage.googleapis.com/"
                                       "generate_content_free_tier_requests",
                        "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]}]
    if retry_delay is not None:
        details.append({"@type": "type.googleapis.com/google.rpc.RetryInfo",
                        "retryDelay": retry_delay})
    body["error"]["details"] = details
    return body


def malformed() -> dict[str, Any]:
    """A turn the API ends with MALFORMED_FUNCTION_CALL: no content, a finish message."""
    out = response([], finish_reason="MALFORMED_FUNCTION_CALL")
    candidate = out["candidates"][0]
    del candidate["content"]
    candidate["finishMessage"] = "Malformed function call: print(default_api.sql_query(query="
    return out


def empty_stop() -> dict[str, Any]:
    """An empty turn with finish reason STOP (no parts at all), as Gemini sometimes sends."""
    out = response([], finish_reason="STOP")
    out["candidates"][0]["content"] = {"role": "model"}
    return out


# -- the server ------------------------------------------------------------------------


@dataclass
class Recorded:
    """One request as received: path, query, headers and the JSON body."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    model: str = ""
    action: str = ""
    received_at: float = field(default_factory=time.monotonic)

    @property
    def contents(self) -> list[dict[str, Any]]:
        return list(self.body.get("contents", []))

    @property
    def system_text(self) -> str:
        parts = (self.body.get("systemInstruction") or {}).get("parts", [])
        return "".join(p.get("text", "") for p in parts)

    @property
    def declared(self) -> list[str]:
        return [d["name"] for t in self.body.get("tools", [])
                for d in t.get("functionDeclarations", [])]

    @property
    def function_calling(self) -> dict[str, Any]:
        return dict((self.body.get("toolConfig") or {}).get("functionCallingConfig") or {})

    @property
    def generation_config(self) -> dict[str, Any]:
        return dict(self.body.get("generationConfig") or {})


@dataclass
class _Scripted:
    status: int
    body: Any
    delay: float = 0.0
    chunks: list[Any] | None = None
    hold: tuple[int, threading.Event] | None = None


@dataclass
class GeminiServer:
    """The scripted endpoint. Use as a context manager, or ``start()``/``stop()``."""

    host: str = "127.0.0.1"
    requests: list[Recorded] = field(default_factory=list)
    unexpected: int = 0
    rejected: list[str] = field(default_factory=list)
    _queue: deque[_Scripted] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    # -- script ----------------------------------------------------------------------

    def enqueue(self, response_json: Any, *, status: int = 200, delay: float = 0.0,
                chunks: list[Any] | None = None,
                hold: tuple[int, threading.Event] | None = None) -> GeminiServer:
        """Answer the next request with ``response_json`` (after ``delay`` seconds).
        ``chunks``: for streamGenerateContent, the SSE events to send instead.
        ``hold=(i, event)``: send the chunks before index ``i`` at once, then wait for
        ``event`` before the rest (so a test can see the first ones arrive)."""
        with self._lock:
            self._queue.append(_Scripted(status, response_json, delay, chunks, hold))
        return self

    def enqueue_error(self, code: int, message: str = "scripted failure",
                      status: str | None = None, *, times: int = 1) -> GeminiServer:
        names = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                 502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
        for _ in range(times):
            self.enqueue(error(code, message, status or names.get(code, "UNKNOWN")), status=code)
        return self

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def env(self, api_key: str = "test-key") -> dict[str, str]:
        """Environment for google-genai (Gemini API mode) to talk to this server."""
        return {"GEMINI_API_KEY": api_key, "GOOGLE_GEMINI_BASE_URL": self.url}

    def start(self) -> GeminiServer:
        server = ThreadingHTTPServer((self.host, 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                                        name="gemini-fake", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> GeminiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- serving -----------------------------------------------------------------------

    def _next(self, recorded: Recorded) -> _Scripted:
        with self._lock:
            self.requests.append(recorded)
            invalid = invalid_request(recorded)
            if invalid:
                self.rejected.append(invalid)
                return _Scripted(400, error(400, invalid, "INVALID_ARGUMENT"))
            if not self._queue:
                self.unexpected += 1
                return _Scripted(400, error(400, "scripted Gemini endpoint: no response queued",
                                            "FAILED_PRECONDITION"))
            scripted = self._queue.popleft()
            impossible = impossible_answer(recorded, scripted)
            if impossible:
                self.rejected.append(impossible)
                return _Scripted(400, error(400, f"scripted Gemini endpoint: {impossible}",
                                            "FAILED_PRECONDITION"))
            return scripted


# -- what the real API checks ----------------------------------------------------------


def invalid_request(recorded: Recorded) -> str | None:
    """The real API's refusal of a malformed conversation, or None: every model turn
    with function calls must be followed by one content answering all of them."""
    contents = recorded.contents
    for i, content in enumerate(contents):
        called = [p for p in content.get("parts", []) if "functionCall" in p]
        if content.get("role") != "model" or not called:
            continue
        nxt = contents[i + 1] if i + 1 < len(contents) else None
        if nxt is None:
            continue  # a trailing call turn is the model's to continue (not our case)
        answered = [p for p in nxt.get("parts", []) if "functionResponse" in p]
        if len(answered) != len(called):
            # the API's own wording
            return ("Please ensure that the number of function response parts is equal to "
                    "the number of function call parts of the function call turn.")
    return None


def impossible_answer(recorded: Recorded, scripted: _Scripted) -> str | None:
    """Why the real model could not give ``scripted`` under the request's tool mode, or None."""
    if scripted.status != 200 or not recorded.body.get("tools"):
        return None
    bodies = scripted.chunks if scripted.chunks is not None else [scripted.body]
    parts = [p for b in bodies for c in (b.get("candidates") or [])
             for p in (c.get("content") or {}).get("parts", [])]
    names = [p["functionCall"].get("name") for p in parts if "functionCall" in p]
    config = recorded.function_calling
    mode = config.get("mode", "AUTO")
    if mode == "NONE" and names:
        return f"the request's mode is NONE but the queued answer calls {names}"
    if mode == "ANY":
        if not names and parts:
            return "the request's mode is ANY but the queued answer has no function call"
        allowed = config.get("allowedFunctionNames")
        if allowed and any(n not in allowed for n in names):
            return f"the queued answer calls {names}, outside allowedFunctionNames {allowed}"
    return None


def _handler(fake: GeminiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def _stream(self, events: list[Any], hold_at: int, release: threading.Event) -> None:
            """Chunks as they are ready, the connection closed at the end (no length)."""
            self.close_connection = True
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for i, event in enumerate(events):
                    if i == hold_at:
                        release.wait(30)
                    self.wfile.write(f"data: {json.dumps(event)}\r\n\r\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            split = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            route = _ROUTE.match(split.path)
            if route is None:
                body = error(404, f"no such method: {split.path}", "NOT_FOUND")
                self._send(404, json.dumps(body).encode(), "application/json")
                return
            recorded = Recorded(
                method="POST", path=split.path, query=parse_qs(split.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=json.loads(raw or b"{}"), model=route["model"], action=route["action"],
            )
            scripted = fake._next(recorded)
            if scripted.delay:
                time.sleep(scripted.delay)
            if scripted.status == 200 and recorded.action == "streamGenerateContent":
                events = scripted.chunks if scripted.chunks is not None else [scripted.body]
                if scripted.hold is not None:
                    self._stream(events, *scripted.hold)
                    return
                sse = "".join(f"data: {json.dumps(e)}\r\n\r\n" for e in events)
                self._send(200, sse.encode(), "text/event-stream")
                return
            self._send(scripted.status, json.dumps(scripted.body).encode(), "application/json")

        def do_GET(self) -> None:  # noqa: N802
            body = error(404, f"no such method: {self.path}", "NOT_FOUND")
            self._send(404, json.dumps(body).encode(), "application/json")

    return Handler


@pytest.fixture
def gemini_server() -> Iterator[GeminiServer]:
    """A running scripted endpoint (import this fixture into a test module to use it)."""
    with GeminiServer() as server:
        yield server
