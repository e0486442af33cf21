"""A real PostgreSQL server for tests: Debian's `postgresql` package, `initdb`
into a temporary directory and `pg_ctl` on a free loopback port.

PostgreSQL refuses to run as root, so as root the data directory is handed to
the `postgres` user and the server runs as that user (``runuser``). Installed
by ``scripts/install-postgres.sh`` (``make test-deps``). A missing server fails
the tests needing it under CI and skips them, with the reason, elsewhere.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "nl2sql"


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def unavailable(message: str) -> None:
    """Fail under CI (a missing peer is a broken pipeline), skip locally."""
    message = f"PostgreSQL unavailable: {message} (run scripts/install-postgres.sh)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Postgres:
    datadir: Path
    port: int
    as_user: list[str]  # the command prefix running a binary as the server's owner
    pg_ctl: str

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def new_database(self) -> str:
        """A fresh, empty database on this server; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, self.pg_ctl, "stop", "-D", str(self.datadir),
                        "-m", "immediate"], capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def start_postgres(workdir: Path) -> Postgres:
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        unavailable("no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin")
    assert initdb and pg_ctl
    as_user: list[str] = []
    # A directory the server's user can reach (pytest's temp dirs are 0700).
    base = Path(workdir)
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            unavailable("running as root and no runuser to drop to the postgres user")
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError:
            unavailable("running as root and there is no 'postgres' user")
        as_user = [str(runuser), "-u", "postgres", "--"]
        base = Path(f"/tmp/nl2sql-pg-{uuid.uuid4().hex[:8]}")
        base.mkdir(mode=0o700)
        os.chown(base, owner.pw_uid, owner.pw_gid)
    datadir = base / "data"
    done = subprocess.run([*as_user, initdb, "-D", str(datadir), "-U", USER, "-A", "trust",
                           "-E", "UTF8", "--no-sync"], capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        unavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
    port = _free_port()
    log = base / "server.log"
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={base} "
               "-c fsync=off -c max_connections=200")
    done = subprocess.run([*as_user, pg_ctl, "start", "-D", str(datadir), "-l", str(log),
                           "-w", "-t", "60", "-o", options], capture_output=True, text=True,
                          timeout=90, check=False)
    if done.returncode != 0:
        tail = log.read_text()[-1000:] if log.exists() else done.stderr
        unavailable(f"pg_ctl start failed: {tail}")
    server = Postgres(datadir, port, as_user, pg_ctl)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                unavailable("the server did not accept connections")
            time.sleep(0.2)
