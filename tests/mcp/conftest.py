"""A warehouse with an allowed and a forbidden dataset, and the real `nl2sql mcp` process.

The server always runs as a subprocess started by its console script, the way
Gemini CLI or Claude Code start it; tests talk to it with the ``mcp`` SDK's own
client over stdio or streamable HTTP.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

NL2SQL = str(Path(sys.executable).parent / "nl2sql")
ALLOWED = "thelook_ecommerce"
FORBIDDEN = "hr"


@pytest.fixture(scope="session")
def mcp_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse plus an ``hr`` dataset that the allowlist leaves out."""
    path = tmp_path_factory.mktemp("mcp") / "warehouse.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE SCHEMA {FORBIDDEN}")
        con.execute(f"CREATE TABLE {FORBIDDEN}.salaries AS "
                    "SELECT 1 AS employee_id, 250000 AS salary")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def server_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test process's environment without anyone's settings, plus ``extra``."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("NL2SQL_", "GEMINI_", "GOOGLE_", "SLACK_"))}
    return {**base, "NL2SQL_MODEL": "offline", "NL2SQL_ALLOWED_DATASETS": ALLOWED,
            "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3"), **extra}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def http_server(db: Path, env: dict[str, str], log: Path,
                host: str = "127.0.0.1") -> Iterator[str]:
    """``nl2sql mcp --http`` on a free port; yields the endpoint URL."""
    port = free_port()
    cmd = [NL2SQL, "mcp", "--db", str(db), "--http", "--host", host, "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=log.parent, stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise AssertionError(f"nl2sql mcp exited: {log.read_text()[-2000:]}")
                try:
                    with socket.create_connection((host, port), timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise AssertionError(
                            f"nl2sql mcp did not start: {log.read_text()[-2000:]}") from None
                    time.sleep(0.2)
            yield f"http://{host}:{port}/mcp"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
