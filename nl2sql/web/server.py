"""How `nl2sql serve` runs gunicorn, and the worker class it runs.

gunicorn's threaded worker hands a connection to a thread as soon as its first
byte arrives; the thread then blocks reading the rest of the request. Twenty
clients sending their headers or body one byte a second (slowloris) take every
thread, and ``/healthz`` times out. ``Worker`` reads each request in the
worker's event loop instead, without a thread, and hands it to a thread only
once it has arrived whole (or is too large to buffer, when the app refuses it
from its headers). A request that does not arrive within ``READ_TIMEOUT_S`` is
answered 408 and closed. gunicorn still parses everything: the read-ahead only
decides *when* a thread takes the connection, so a wrong guess costs a thread
for a while, never correctness.

Errors gunicorn answers itself (an overlong URL, malformed headers) come in
the app's JSON envelope ``{ok: false, error, status}`` rather than HTML.
"""

from __future__ import annotations

import contextlib
import json
import re
import selectors
import socket
import sys
import time
from functools import partial
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from nl2sql.web.inputs import MAX_URL_BYTES

# Questions a worker answers at once. A question spends much of its time off
# the GIL (DuckDB, the state database, a model's network call), so a worker
# with few threads leaves its core idle: bench/web.py measured 50 clients on 2
# cores at 0.6-0.7 of the in-process rate with 8 threads, 0.85-0.9 with 24.
THREADS = 24
KEEPALIVE_S = 5
READ_TIMEOUT_S = 30.0  # a request (headers and body) must arrive whole within this
BUFFER_LIMIT = 256 * 1024  # read ahead at most this much; the app refuses bodies over 64 KiB
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_LENGTH = re.compile(rb"\ncontent-length[ \t]*:[ \t]*(\d{1,15})")
_CHUNKED = re.compile(rb"\ntransfer-encoding[ \t]*:[^\n]*chunked")
_EXPECT = re.compile(rb"\nexpect[ \t]*:[ \t]*100-continue")
_STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3}) ([^\r\n]*)")


def gunicorn_command(host: str, port: int, workers: int, threads: int = THREADS) -> list[str]:
    """The gunicorn command line `nl2sql serve` execs (tests start the same one)."""
    return [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--worker-class", f"{__name__}.Worker",
            "--threads", str(threads), "--timeout", "120", "--keep-alive", str(KEEPALIVE_S),
            # The longest request line gunicorn allows; the app bounds the URL the same.
            "--limit-request-line", str(MAX_URL_BYTES),
            # Hooks for prometheus_client's multiprocess mode (/metrics sums workers).
            "--config", "python:nl2sql.web.gunicorn_conf",
            # Requests are logged by the app as JSON lines (with request ids and
            # users), so gunicorn's own access log would only repeat them.
            "nl2sql.web.wsgi:app"]


def request_complete(data: bytes) -> bool:
    """Whether ``data`` holds a whole request, as far as a thread needs to know:
    the headers, and the body when its length is known and small enough to buffer."""
    end = _HEAD_END.search(data)
    if end is None:
        return False
    head = data[:end.start()].lower()
    if _EXPECT.search(head):
        return True  # the client waits for "100 Continue" before it sends the body
    if _CHUNKED.search(head):
        return data.endswith(b"0\r\n\r\n")  # the last chunk (no trailers)
    length = _LENGTH.search(head)
    if length is None:
        return True
    wanted = int(length[1])
    return wanted > BUFFER_LIMIT or len(data) - end.end() >= wanted


def error_response(status: int, reason: str, message: str) -> bytes:
    body = json.dumps({"ok": False, "error": message, "status": status}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


class BufferedSocket:
    """The client socket with the bytes the event loop read ahead in front of it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.pending = bytearray()
        self.deadline: float | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)

    def recv(self, size: int, flags: int = 0) -> bytes:
        if self.pending:
            data = bytes(self.pending[:size])
            del self.pending[:size]
            return data
        return self.sock.recv(size, flags)

    def read_ahead(self) -> bool:
        """Read what has arrived without blocking; False once the client has closed."""
        while len(self.pending) < BUFFER_LIMIT:
            try:
                data = self.sock.recv(BUFFER_LIMIT - len(self.pending), socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                return True
            except OSError:
                return False
            if not data:
                return False
            self.pending += data
        return True


class Worker(ThreadWorker):
    """gunicorn's threaded worker, with requests read whole before a thread takes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading: dict[Any, float] = {}  # connection -> deadline, oldest first

    def enqueue_req(self, conn: Any) -> None:
        if self.cfg.is_ssl or getattr(conn, "is_http2", False):
            super().enqueue_req(conn)  # TLS bytes cannot be read ahead of the TLS layer
            return
        if not isinstance(conn.sock, BufferedSocket):
            conn.sock = BufferedSocket(conn.sock)  # before the parser is built on it
        buffered: BufferedSocket = conn.sock
        parser = getattr(conn, "parser", None)
        already_read = parser is not None and parser.unreader.buf.getvalue()
        open_ = buffered.read_ahead()
        if not open_ and not buffered.pending and not already_read:
            self.nr_conns -= 1
            conn.close()
            return
        if already_read or not open_ or request_complete(bytes(buffered.pending)) \
                or len(buffered.pending) >= BUFFER_LIMIT:
            buffered.deadline = None
            conn.data_ready = True  # gunicorn must not wait for the socket to be readable
            super().enqueue_req(conn)
            return
        if buffered.deadline is None:
            buffered.deadline = time.monotonic() + READ_TIMEOUT_S
        self.reading[conn] = buffered.deadline
        self.poller.register(buffered, selectors.EVENT_READ, partial(self._more_arrived, conn))

    def _more_arrived(self, conn: Any, client: Any) -> None:
        self.poller.unregister(client)
        self.reading.pop(conn, None)
        self.enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        super().finish_request(conn, fs)
        # A pipelined next request read ahead by us will not make the socket readable.
        buffered = conn.sock
        if isinstance(buffered, BufferedSocket) and buffered.pending \
                and conn in self.keepalived_conns:
            self.keepalived_conns.remove(conn)
            self.poller.unregister(buffered)
            self.enqueue_req(conn)

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        for conn, deadline in list(self.reading.items()):
            if deadline > now:
                continue
            del self.reading[conn]
            with contextlib.suppress(KeyError, ValueError, OSError):
                self.poller.unregister(conn.sock)
            self._send(conn.sock, error_response(
                408, "Request Timeout",
                f"the request did not arrive within {READ_TIMEOUT_S:g} seconds"))
            self.nr_conns -= 1
            conn.close()

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """gunicorn's own error answers (it logs them too), in the JSON envelope."""
        capture = _Capture()
        super().handle_error(req, capture, addr, exc)
        found = _STATUS_LINE.match(bytes(capture.data))
        status, reason = (int(found[1]), found[2].decode("latin-1")) if found \
            else (500, "Internal Server Error")
        self._send(client, error_response(status, reason, _message(status, exc, self.cfg)))

    @staticmethod
    def _send(sock: Any, data: bytes) -> None:
        # The client may be gone, or not reading: it is told nothing more.
        with contextlib.suppress(OSError):
            util.write_nonblock(sock, data)


class _Capture:
    """Stands in for the client socket to learn the status gunicorn chose."""

    def __init__(self) -> None:
        self.data = bytearray()

    def gettimeout(self) -> float:
        return 0.0

    def setblocking(self, flag: bool) -> None:
        pass

    def sendall(self, data: bytes) -> None:
        self.data += data


def _message(status: int, exc: BaseException, cfg: Any) -> str:
    if status == 414:
        return (f"the URL is longer than {cfg.limit_request_line} bytes; "
                "send long input in a POST body")
    if status == 431:
        return "the request headers are too large or too many"
    if status >= 500:
        return "internal error"
    return f"malformed HTTP request: {exc}"
