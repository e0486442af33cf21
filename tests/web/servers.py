"""Running the app for real: gunicorn in a subprocess, on a free loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nl2sql.web.server import gunicorn_command

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def http(method: str, url: str, body: Any = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        **({"Content-Type": "application/json"} if data else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, dict(e.headers), e.read()


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[str]:
    """gunicorn as `nl2sql serve` runs it, with ``env`` added; yields the base URL."""
    port = free_port()
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("NL2SQL_", "GEMINI_", "GOOGLE_", "SLACK_"))}
    # Exactly what `nl2sql serve` runs, with a shorter grace period on shutdown.
    *options, app = gunicorn_command("127.0.0.1", port, workers)
    cmd = [*options, "--graceful-timeout", "5", app]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**base, **env}, stdout=out,
                                stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise AssertionError(f"gunicorn exited: {log.read_text()[-2000:]}")
                # Only once this gunicorn says it listens: a server still closing on a
                # reused port could otherwise answer the health check in its place.
                listening = f"Listening at: {url} ({proc.pid})" in log.read_text(errors="replace")
                try:
                    if listening and http("GET", f"{url}/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def raw_request(url: str, data: bytes, timeout: float = 30) -> tuple[int, bytes]:
    """Send ``data`` as-is (a request urllib would refuse to build); the status and body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split()[1]), body
