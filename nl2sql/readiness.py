"""Readiness: can the service answer a question right now?

Liveness (``/healthz``) only says the process serves requests. Readiness checks
what a question needs, so an orchestrator stops sending traffic to an instance
that would fail every question:

- ``state``: the state database opens, reads and takes a write. A fresh
  connection is used, so a file corrupted under a running worker (whose open
  connection may still serve cached pages) is seen as a new worker would see
  it; and an integrity check runs at most every ``INTEGRITY_EVERY_S``.
- ``warehouse``: it opens and lists its datasets (remembered ``WAREHOUSE_TTL_S``,
  so probes do not hammer BigQuery).
- ``model``: it is configured (credentials present); it is not called, which
  would cost tokens on every probe.

Each check gives ``None`` (fine) or a sentence saying what is wrong, without
server file paths.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nl2sql.errors import Nl2SqlError, without_paths
from nl2sql.runtime import Runtime

INTEGRITY_EVERY_S = 300.0
WAREHOUSE_TTL_S = 10.0


def check_server(url: str) -> str | None:
    """A state database server (PostgreSQL): None when it answers a query."""
    from nl2sql.state.db import StateDB

    db = StateDB(url, upgrade=False)
    try:
        db.fetch("SELECT 1")
    except Exception as e:  # noqa: BLE001 - any failure means "not ready", said in words
        return f"the state database cannot be reached: {type(e).__name__}"
    finally:
        db.close()
    return None


def check_state(path: str) -> str | None:
    """None when the state file reads and writes; else what is wrong. ``path``
    may be a server URL (postgresql://...)."""
    if path == ":memory:":
        return None
    if "://" in path:
        return check_server(path)
    try:
        conn = sqlite3.connect(path, timeout=5, isolation_level=None)
    except sqlite3.Error as e:
        return f"the state database cannot be opened: {without_paths(str(e))}"
    try:
        conn.execute("BEGIN IMMEDIATE")
        tables = conn.execute("SELECT name, sql FROM sqlite_master "
                              "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
        for table, ddl in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            if "WITHOUT ROWID" in (ddl or "").upper():
                conn.execute(f"SELECT * FROM {quoted} LIMIT 1").fetchall()
                continue
            # Both ends of each table: where reads start and where inserts go.
            conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid LIMIT 1").fetchall()
            conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid DESC LIMIT 1").fetchall()
        conn.execute("CREATE TABLE IF NOT EXISTS readiness_probe "
                     "(id INTEGER PRIMARY KEY, at REAL NOT NULL)")
        conn.execute("INSERT OR REPLACE INTO readiness_probe VALUES (1, ?)", (time.time(),))
        conn.execute("COMMIT")
    except sqlite3.Error as e:
        return f"the state database cannot be used: {without_paths(str(e))}"
    finally:
        conn.close()
    return None


def check_integrity(path: str) -> str | None:
    """SQLite's own structural check of the whole file (slower: run now and then)."""
    if path == ":memory:" or "://" in path:
        return None  # a server checks its own storage
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as e:
        return f"the state database cannot be checked: {without_paths(str(e))}"
    return None if verdict == "ok" else f"the state database is damaged: {verdict}"


def check_warehouse(runtime: Runtime) -> str | None:
    try:
        runtime.warehouse.list_datasets()
    except Nl2SqlError as e:
        return f"the warehouse is not available: {e.public_message}"
    return None


def check_model(runtime: Runtime) -> str | None:
    try:
        runtime.model  # noqa: B018 - opening it checks its configuration
    except Nl2SqlError as e:
        return f"the model is not configured: {e.public_message}"
    return None


@dataclass
class _Remembered:
    """A check's verdict, reused for ``ttl_s``."""

    ttl_s: float
    at: float = -1e18
    verdict: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, check: Callable[[], str | None], now: float) -> str | None:
        with self.lock:
            if now - self.at >= self.ttl_s:
                self.verdict, self.at = check(), now
            return self.verdict


class Readiness:
    """The checks of one app, with the slower ones remembered for a while."""

    def __init__(self, runtime: Runtime, state_path: str, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.runtime = runtime
        self.state_path = state_path
        self.clock = clock
        self._integrity = _Remembered(INTEGRITY_EVERY_S)
        self._warehouse = _Remembered(WAREHOUSE_TTL_S)

    def checks(self) -> dict[str, str | None]:
        """Check name -> None when fine, else the problem."""
        now = self.clock()
        state = check_state(self.state_path) or self._integrity.get(
            lambda: check_integrity(self.state_path), now)
        return {"state": state,
                "warehouse": self._warehouse.get(lambda: check_warehouse(self.runtime), now),
                "model": check_model(self.runtime)}
