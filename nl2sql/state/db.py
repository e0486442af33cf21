"""One SQLite file for the service's small local state (conversations, answers,
rate-limit hits, metrics), shared by every interface and every worker process.

WAL mode lets gunicorn workers read while one writes; ``busy_timeout`` makes a
writer wait for another instead of failing. Each process opens its own
connection lazily, so an app created before a fork (``--preload``) never shares
a SQLite handle with its children. Within a process one connection is guarded
by a lock: our statements are tiny, and a lock is simpler than a pool.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nl2sql.errors import ConfigError

BUSY_TIMEOUT_MS = 10_000


class StateDB:
    """A thread-safe handle on the state file; ``":memory:"`` for a private in-memory one."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._schemas: list[str] = []

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves (see tx()).
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
            conn.row_factory = sqlite3.Row
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            for ddl in self._schemas:
                conn.executescript(ddl)
        except sqlite3.Error as e:
            raise ConfigError(f"cannot open state database {self.path!r}: {e}") from None
        self._conn, self._pid = conn, os.getpid()
        return conn

    def ensure_schema(self, ddl: str) -> None:
        """Run ``ddl`` (idempotent CREATE ... IF NOT EXISTS) now and on every reconnect."""
        with self._lock:
            if ddl not in self._schemas:
                self._schemas.append(ddl)
                self._connection().executescript(ddl)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; BEGIN IMMEDIATE takes the write lock up front so a
        read-then-write (rate limiting) cannot interleave with another process."""
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._connection().execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
