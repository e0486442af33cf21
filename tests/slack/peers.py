"""Local HTTP peers for the Slack tests: the app served for real, a ``response_url``
receiver, a Slack Web API stand-in for file uploads, and Slack's request signing."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from tests.fakes.http import QuietHandler, local_server, serving_in_thread

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # Slack's documented example shape


def sign(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's headers for ``body``: HMAC-SHA256 over ``v0:{ts}:{body}``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def command_body(text: str, response_url: str, *, user_id: str = "U0ANALYST",
                 channel_id: str = "C0DATA", team_id: str = "T0TEAM") -> bytes:
    """A form body with the fields Slack sends for a slash command."""
    return urllib.parse.urlencode({
        "token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": team_id, "team_domain": "example",
        "channel_id": channel_id, "channel_name": "data", "user_id": user_id,
        "user_name": "ana", "command": "/ask", "text": text, "api_app_id": "A0APP",
        "is_enterprise_install": "false", "response_url": response_url,
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
    }).encode()


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> Reply:
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return Reply(r.status, r.read(), time.perf_counter() - t0)
    except urllib.error.HTTPError as e:
        return Reply(e.code, e.read(), time.perf_counter() - t0)


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """The app over real HTTP on 127.0.0.1; yields its base URL."""
    with serving_in_thread(make_server("127.0.0.1", 0, app, threaded=True)) as base:
        yield base


@dataclass
class Received:
    path: str
    body: bytes
    headers: dict[str, str]
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Peer:
    """Records every POST; answers the first ``fail_first`` with ``fail_status``."""

    fail_first: int = 0
    fail_status: int = 500
    fail_headers: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    base: str = ""
    cond: threading.Condition = field(default_factory=threading.Condition)

    def respond(self, path: str, body: bytes) -> tuple[int, str, bytes]:
        """(status, content type, body) for a successful request; override per peer."""
        return 200, "text/plain", b"ok"

    def handle(self, path: str, body: bytes,
               headers: dict[str, str]) -> tuple[int, str, bytes, dict[str, str]]:
        with self.cond:
            self.attempts += 1
            failing = self.attempts <= self.fail_first
            self.received.append(Received(path, body, headers, time.monotonic()))
            self.cond.notify_all()
        if failing:
            return self.fail_status, "text/plain", b"internal_error", self.fail_headers
        return (*self.respond(path, body), {})

    def wait_for(self, n: int, timeout: float = 15.0) -> list[Received]:
        """Block until ``n`` requests arrived; returns them all."""
        with self.cond:
            self.cond.wait_for(lambda: len(self.received) >= n, timeout=timeout)
            assert len(self.received) >= n, f"got {len(self.received)} requests, wanted {n}"
            return list(self.received)


class SlackApi(Peer):
    """Slack's Web API for ``files_upload_v2``: get an upload URL, upload, complete."""

    def respond(self, path: str, body: bytes) -> tuple[int, str, bytes]:
        if path.endswith("/files.getUploadURLExternal"):
            data = {"ok": True, "file_id": "F0CHART", "upload_url": f"{self.base}/upload/F0CHART"}
        elif path.endswith("/files.completeUploadExternal"):
            files = json.loads(urllib.parse.parse_qs(body.decode())["files"][0])
            data = {"ok": True, "files": [{"id": f["id"], "title": f.get("title")}
                                          for f in files]}
        elif path.startswith("/upload/"):
            return 200, "text/plain", b"OK - 1234"
        else:
            data = {"ok": False, "error": "unknown_method"}
        return 200, "application/json", json.dumps(data).encode()


@contextmanager
def running(peer: Peer) -> Iterator[Peer]:
    """Serve ``peer`` on 127.0.0.1; ``peer.base`` is its URL."""

    class Handler(QuietHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, ctype, out, extra = peer.handle(self.path, body,
                                                    dict(self.headers.items()))
            self.reply(status, ctype, out, extra)

    with local_server(Handler) as base:
        peer.base = base
        yield peer
