"""The one state layer: SQLAlchemy Core over SQLite (one machine) or
PostgreSQL (several instances), for conversations, answers, rate limits,
feedback, verified queries, work slots and report runs.

Stores write plain SQL with ``?`` placeholders in the subset both databases
speak (``INSERT … ON CONFLICT``, ``RETURNING``, conditional ``UPDATE``); this
module adapts the placeholders to the driver and hands back rows readable by
name or position. What differs per backend lives here and in ``migrations``:

- SQLite: WAL lets workers read while one writes; ``BEGIN IMMEDIATE`` takes the
  write lock up front, so a read-then-write (rate limiting) cannot interleave
  with another process; one connection per process behind a lock.
- PostgreSQL: a connection pool; a read-then-write names a ``lock`` key, taken
  as a transaction-scoped advisory lock, which serialises exactly the
  transactions that contend for the same budget across instances.

Each process builds its engine lazily, so an app created before a fork
(``--preload``) never shares a connection with its children.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from nl2sql.errors import ConfigError

BUSY_TIMEOUT_MS = 30_000
SCHEMES = ("sqlite", "postgresql")


class Record:
    """A row readable as ``row["name"]`` or ``row[0]`` (what sqlite3.Row offered)."""

    __slots__ = ("_row",)

    def __init__(self, row: sa.Row[Any]) -> None:
        self._row = row

    def __getitem__(self, key: str | int) -> Any:
        return self._row._mapping[key] if isinstance(key, str) else self._row[key]

    def keys(self) -> list[str]:
        return list(self._row._mapping.keys())


class Result:
    def __init__(self, result: CursorResult[Any]) -> None:
        self._result = result
        self.rowcount: int = result.rowcount

    def fetchone(self) -> Record | None:
        row = self._result.fetchone()
        return Record(row) if row is not None else None

    def fetchall(self) -> list[Record]:
        return [Record(r) for r in self._result.fetchall()]


class Tx:
    """The connection of one transaction, speaking ``?`` placeholders."""

    def __init__(self, conn: Connection, dialect: str) -> None:
        self._conn = conn
        self.dialect = dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        return Result(self._conn.exec_driver_sql(_adapt(sql, self.dialect), tuple(params)))

    def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> None:
        rows = [tuple(p) for p in seq]
        if rows:
            self._conn.exec_driver_sql(_adapt(sql, self.dialect), rows)


@lru_cache(maxsize=512)
def _adapt(sql: str, dialect: str) -> str:
    # psycopg uses %s; a literal % must then be doubled. Our SQL never has a
    # '?' inside a string literal.
    return sql if dialect == "sqlite" else sql.replace("%", "%%").replace("?", "%s")


def lock_id(key: str) -> int:
    """A stable signed 64-bit number for ``pg_advisory_xact_lock``."""
    return zlib.crc32(key.encode()) - (1 << 31)


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{path}"


class StateDB:
    """A thread-safe handle on the state database.

    ``StateDB("data/state.sqlite3")`` (a path), ``StateDB(":memory:")`` (private,
    in memory) or ``StateDB("postgresql://…")`` / ``StateDB("sqlite:///…")``.
    The schema is brought up to date on first use (``nl2sql db upgrade`` does it
    ahead of a deploy).
    """

    def __init__(self, target: str | Path, *, upgrade: bool = True) -> None:
        text = str(target)
        self.url = text if "://" in text else sqlite_url(text)
        scheme = self.url.split("://", 1)[0].split("+", 1)[0]
        if scheme not in SCHEMES:
            raise ConfigError(f"state URL {redact(self.url)!r} is not supported: use "
                              "sqlite:///path/file.sqlite3 or postgresql://user@host/db")
        self.dialect = scheme
        self.path = self.url.split(":///", 1)[1] if scheme == "sqlite" else ""
        self._upgrade = upgrade
        # SQLite: one connection per process, so one lock serialises its use.
        # PostgreSQL: the pool hands each thread its own connection.
        self._lock: threading.RLock | None = threading.RLock() if scheme == "sqlite" else None
        self._guard = threading.RLock()  # re-entered by the upgrade on first use
        self._engine: Engine | None = None
        self._pid = 0

    def __repr__(self) -> str:
        return f"StateDB({redact(self.url)!r})"

    # -- connection ----------------------------------------------------------------

    def engine(self) -> Engine:
        with self._guard:
            if self._engine is not None and self._pid == os.getpid():
                return self._engine
            if self._engine is not None:
                # Inherited across a fork: drop the parent's connections unclosed.
                self._engine.dispose(close=False)
            engine = self._build()
            self._engine, self._pid = engine, os.getpid()
            if self._upgrade:
                from nl2sql.state.migrations import upgrade

                try:
                    upgrade(self)  # its own queries find the engine set just above
                except BaseException:
                    self._engine = None
                    engine.dispose()
                    raise
            return engine

    def _build(self) -> Engine:
        try:
            if self.dialect == "sqlite":
                return _sqlite_engine(self.path)
            url = sa.make_url(self.url).set(drivername="postgresql+psycopg")
            return sa.create_engine(url, pool_size=5, max_overflow=10, pool_pre_ping=True,
                                    pool_recycle=1800)
        except (ArgumentError, SQLAlchemyError, OSError) as e:
            raise ConfigError(f"cannot open state database {redact(self.url)!r}: {e}") from None

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        engine = self.engine()
        held = self._lock
        if held is not None:
            held.acquire()
        try:
            try:
                conn = engine.connect()
            except SQLAlchemyError as e:
                raise ConfigError(
                    f"cannot reach state database {redact(self.url)!r}: {_first_line(e)}"
                ) from None
            with conn:
                yield conn
        finally:
            if held is not None:
                held.release()

    @contextmanager
    def tx(self, lock: str | None = None, *, write: bool = True) -> Iterator[Tx]:
        """A transaction (a write one unless ``write=False``). ``lock`` names what
        a read-then-write contends for (a user's rate budget): on PostgreSQL
        such transactions queue; on SQLite every write transaction does."""
        with self._connect() as conn:
            # Read by the "begin" hook of SQLite engines: readers must not take
            # the write lock, or WAL's concurrent reads are lost.
            conn.info["begin"] = "BEGIN IMMEDIATE" if write else "BEGIN"
            with conn.begin():
                if lock is not None and self.dialect == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (lock_id(lock),))
                yield Tx(conn, self.dialect)

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Record]:
        with self.tx(write=False) as conn:
            return conn.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement in its own transaction; returns the rows changed."""
        with self.tx() as conn:
            return conn.execute(sql, params).rowcount

    def close(self) -> None:
        with self._guard:
            if self._engine is not None:
                if self._pid == os.getpid():
                    self._engine.dispose()
                else:
                    self._engine.dispose(close=False)
            self._engine = None


def _wal(dbapi_conn: Any) -> None:
    """Put the file in WAL mode. SQLite answers "database is locked" at once, without
    its busy handler, while another connection is opening or recovering the file (many
    workers starting on a new file), so retry within the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_engine(path: str) -> Engine:
    memory = path in ("", ":memory:")
    if not memory:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        "sqlite://" if memory else sqlite_url(path),
        # One connection per process (StaticPool): StateDB's lock serialises it,
        # and a private in-memory database must be the same one in every thread.
        poolclass=StaticPool,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
        if not memory:
            _wal(dbapi_conn)
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.info.get("begin", "BEGIN IMMEDIATE"))

    return engine


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def _first_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e)
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__
