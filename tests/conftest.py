"""Shared fixtures: a real demo DuckDB file, settings, and a no-network tripwire."""

from __future__ import annotations

import datetime
import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from nl2sql.config import Settings

if TYPE_CHECKING:
    from tests.fakes.postgres import Postgres

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
    else:
        return True  # unix sockets
    if isinstance(host, str) and host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection leaving this machine fails the test that made it."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if not _is_loopback(address):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's credentials or settings."""
    import os

    for key in list(os.environ):
        if key.startswith(("NL2SQL_", "GEMINI_", "GOOGLE_", "SLACK_")):
            monkeypatch.delenv(key)


DEMO_AS_OF = datetime.date(2025, 12, 31)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small (scale 0.01) demo warehouse, built once per test session.

    Its timeline is pinned (2019 through 2025) so every run sees the same rows,
    whatever the date."""
    from nl2sql.warehouse.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb", scale=0.01, seed=7,
                      as_of=DEMO_AS_OF)


@pytest.fixture
def settings(demo_db: Path) -> Settings:
    return Settings(warehouse=f"duckdb:///{demo_db}", model="offline")


# -- a real PostgreSQL server, once per session (tests marked `postgres`) -------------


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postgres]:
    from tests.fakes.postgres import start_postgres

    server = start_postgres(tmp_path_factory.mktemp("postgres"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: Postgres) -> str:
    """The URL of a fresh, empty database of the session's server."""
    return postgres_server.new_database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each state-layer test runs on both backends: a SQLite file and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


# -- tests must not write into the working tree --------------------------------------

REPO = Path(__file__).resolve().parent.parent


def _untracked() -> set[str] | None:
    import subprocess

    try:
        out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                             cwd=REPO, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None  # not a git checkout: nothing to compare
    return {line[3:] for line in out.stdout.splitlines() if line.startswith("??")}


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _untracked()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_BEFORE, None)
    after = _untracked()
    if before is None or after is None:
        return
    litter = sorted(after - before)
    if litter:
        print(f"\nERROR: tests left files in the working tree: {litter}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[set[str] | None]()
