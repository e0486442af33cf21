"""Slow clients (slowloris: headers or a body sent a byte at a time) must not take
the workers of the service as shipped: gunicorn started exactly as `nl2sql serve`
starts it. Fails with gunicorn's stock threaded or sync worker: every thread
ends up waiting on a slow client and /healthz times out."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from nl2sql.web.server import READ_TIMEOUT_S, THREADS
from tests.web.servers import gunicorn

pytestmark = pytest.mark.slow

WORKERS = 2
SLOW = 2 * WORKERS * THREADS + 4  # more slow connections than the service has threads


class Trickle:
    """Connections that each send a request start, then one byte a second."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.socks: list[socket.socket] = []
        self.stop = threading.Event()

    def open(self, start: bytes, n: int) -> None:
        for _ in range(n):
            s = socket.create_connection(self.address, timeout=30)
            s.sendall(start)
            self.socks.append(s)

    def run(self) -> None:
        while not self.stop.wait(1.0):
            for s in self.socks:
                with contextlib.suppress(OSError):
                    s.sendall(b"x")

    def close(self) -> None:
        self.stop.set()
        for s in self.socks:
            s.close()


@pytest.fixture
def url(web_db: Path, tmp_path: Path) -> Iterator[str]:
    env = {"NL2SQL_WAREHOUSE": f"duckdb:///{web_db}", "NL2SQL_MODEL": "offline",
           "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3"), "NL2SQL_RATE_LIMIT": "off"}
    with gunicorn(env, tmp_path / "gunicorn.log", workers=WORKERS) as base:
        yield base


def get(url: str) -> tuple[int, bytes]:
    # Generous: a starved service does not answer at all, a healthy one at once.
    with urllib.request.urlopen(url, timeout=15) as r:
        return r.status, r.read()


def test_slow_clients_do_not_starve_the_workers(url: str) -> None:
    trickle = Trickle(url)
    try:
        trickle.open(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", SLOW)  # slow headers
        trickle.open(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 60000\r\n\r\n\"", SLOW)  # slow body
        threading.Thread(target=trickle.run, daemon=True).start()
        for _ in range(2 * WORKERS * THREADS):  # more requests than threads: none is stuck
            status, body = get(f"{url}/healthz")
            assert status == 200 and json.loads(body)["ok"] is True
        req = urllib.request.Request(f"{url}/api/ask", method="POST",
                                     data=b'{"question": "How many orders are there?"}',
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            assert r.status == 200 and json.loads(r.read())["answer_id"]  # answered and saved
    finally:
        trickle.close()


def test_a_slow_but_complete_request_is_still_answered(url: str) -> None:
    body = b'{"question": "How many orders are there?"}'
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  b"Content-Type: application/json\r\nContent-Length: "
                  + str(len(body)).encode() + b"\r\n\r\n")
        for i in range(0, len(body), 8):  # the body in pieces, with pauses between
            threading.Event().wait(0.2)
            s.sendall(body[i:i + 8])
        response = b""
        while chunk := s.recv(65536):
            response += chunk
    assert response.startswith(b"HTTP/1.1 200")
    assert json.loads(response.partition(b"\r\n\r\n")[2])["answer_id"]


def test_a_request_that_never_arrives_whole_is_408(url: str) -> None:
    """A slow client is dropped once READ_TIMEOUT_S has passed, with the JSON envelope."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=READ_TIMEOUT_S + 60) as s:
        s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{")
        response = b""
        while chunk := s.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408")
    error = json.loads(body)
    assert error["ok"] is False and error["status"] == 408 and "did not arrive" in error["error"]
