"""``/ask`` against the production server: gunicorn workers, settings from the environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.slack.peers import SECRET, Peer, command_body, post, sign

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def gunicorn(tmp_path: Path, demo_db: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "SLACK_SIGNING_SECRET": SECRET, "NL2SQL_MODEL": "offline",
           "NL2SQL_WAREHOUSE": f"duckdb:///{demo_db}",
           "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3")}
    log = (tmp_path / "gunicorn.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "nl2sql.web.wsgi:app"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "gunicorn.log").read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def test_signed_commands_answered_by_gunicorn_workers(gunicorn: str, receiver: Peer,
                                                      demo_db: Path) -> None:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        row = con.execute("SELECT COUNT(*) FROM thelook_ecommerce.users").fetchone()
    assert row is not None
    users = f"{row[0]:,}"

    forged = command_body("How many users are there?", receiver.base)
    assert post(f"{gunicorn}/slack/commands", forged,
                sign(forged, secret="wrong")).status == 401

    acks: list[tuple[int, float]] = []

    def ask(i: int) -> None:
        body = command_body("How many users are there?", f"{receiver.base}/hook/{i}",
                            user_id=f"U{i}")
        reply = post(f"{gunicorn}/slack/commands", body, sign(body))
        acks.append((reply.status, reply.seconds))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert [status for status, _ in acks] == [200] * 4
    assert all(seconds < 3.0 for _, seconds in acks)
    posted = receiver.wait_for(4, timeout=60)
    assert sorted(p.path for p in posted) == [f"/hook/{i}" for i in range(4)]
    assert all(users in p.json()["text"] for p in posted)
