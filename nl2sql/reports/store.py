"""The run store: every report run and every delivery, in the state database
(SQLite on one machine, PostgreSQL across instances; ``nl2sql.state.db``).

Two tables share the state database with the rest of the service, so their
names carry a ``report_`` prefix (created by ``nl2sql.state.migrations``).
Concurrency rests on the database alone, with statements both backends run
atomically, so any number of schedulers on any number of machines agree:

- a slot is claimed by ``INSERT … ON CONFLICT DO NOTHING`` into ``report_runs``
  under ``UNIQUE(report, slot)``: of several schedulers firing together exactly
  one insert wins;
- a run holds a lease (``owner`` + ``heartbeat``) refreshed while it works; a
  run whose owner died (lease older than ``STALE_AFTER_S``) is taken over by
  the next ``report due`` with one conditional UPDATE, so a crash never loses
  a slot;
- a delivery is claimed the same way (``status='sending'`` with a lease), so
  a failed destination is retried by one process, never by three.

A conditional ``UPDATE`` re-checks its ``WHERE`` after waiting for the row's
lock (PostgreSQL) or under the write lock (SQLite), so exactly one of several
contenders changes the row.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from nl2sql.errors import ConfigError
from nl2sql.reports.definitions import Destination
from nl2sql.state.db import Record, StateDB

log = logging.getLogger(__name__)

STALE_AFTER_S = 600.0  # a run or delivery lease older than this has lost its owner



def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def owner_id() -> str:
    # host:pid alone is not unique: containers sharing the host's network (and
    # so its hostname) each run their command as pid 1. Two owners with one
    # name would let a stalled process finish a run another one took over.
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class Delivery:
    id: int
    run_id: int
    position: int
    destination: Destination
    label: str
    status: str
    attempts: int
    rounds: int
    next_attempt_at: str | None
    delivered_at: str | None
    error: str | None


@dataclass
class Run:
    id: int
    report: str
    slot: str
    trigger: str
    status: str
    started_at: str
    finished_at: str | None
    owner: str
    attempts: int
    sql: str | None
    rows: int | None
    bytes: int | None
    error: str | None
    result_path: str | None
    deliveries: list[Delivery]


class RunStore:
    """Report runs in the state database: ``RunStore(StateDB(url))``, or a URL or
    SQLite path (the store then owns, and closes, its handle)."""

    def __init__(self, db: StateDB | str | Path) -> None:
        self._owns = not isinstance(db, StateDB)
        self.db = db if isinstance(db, StateDB) else StateDB(db)
        self.owner = owner_id()

    def close(self) -> None:
        if self._owns:
            self.db.close()

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        """One statement, its own transaction; returns the rows changed."""
        return self.db.execute(sql, params)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[Record]:
        return self.db.fetch(sql, params)

    # -- runs --------------------------------------------------------------------

    def claim(self, report: str, slot: str, trigger: str,
              deliver: tuple[Destination, ...]) -> Run | None:
        """Claim ``slot`` for ``report``: the new run, or None when another
        process has it or it already ran. Takes over a dead owner's run."""
        with self.db.tx() as db:
            row = db.execute(
                "INSERT INTO report_runs (report, slot, trigger, status, started_at, owner,"
                " heartbeat) VALUES (?, ?, ?, 'running', ?, ?, ?)"
                " ON CONFLICT (report, slot) DO NOTHING RETURNING id",
                (report, slot, trigger, iso(datetime.now(UTC)), self.owner, time.time()),
            ).fetchone()
            run_id = int(row[0]) if row is not None else None
            if run_id is not None:
                db.executemany(
                    "INSERT INTO report_deliveries (run_id, position, destination, label, status)"
                    " VALUES (?, ?, ?, ?, 'pending')",
                    [(run_id, i, d.to_json(), d.label) for i, d in enumerate(deliver)])
        if run_id is not None:
            return self.get_run(run_id)
        existing = self.run_for(report, slot)
        return self.take_over(existing) if existing else None

    def stale_runs(self) -> list[Run]:
        """Runs still marked running whose owner stopped refreshing its lease."""
        rows = self._read("SELECT * FROM report_runs WHERE status = 'running' AND heartbeat < ?"
                          " ORDER BY id", (time.time() - STALE_AFTER_S,))
        return [self._run(r) for r in rows]

    def take_over(self, run: Run) -> Run | None:
        """Become the owner of ``run`` if its owner is dead; None otherwise."""
        clock = time.time()
        changed = self._write(
            "UPDATE report_runs SET owner = ?, heartbeat = ?, attempts = attempts + 1"
            " WHERE id = ? AND status = 'running' AND heartbeat < ?",
            (self.owner, clock, run.id, clock - STALE_AFTER_S))
        return self.get_run(run.id) if changed == 1 else None

    def set_result_path(self, run_id: int, path: str) -> None:
        self._write("UPDATE report_runs SET result_path = ? WHERE id = ?", (path, run_id))

    def set_result(self, run_id: int, path: str, data: str) -> None:
        """Keep the run's result (JSON) with the run, and where its file was written."""
        self._write("UPDATE report_runs SET result_path = ?, result = ? WHERE id = ?",
                    (path, data, run_id))

    def saved_result(self, run_id: int) -> str | None:
        """The result JSON kept with the run (None for runs recorded before version 3)."""
        rows = self._read("SELECT result FROM report_runs WHERE id = ?", (run_id,))
        return rows[0][0] if rows else None

    def finish(self, run_id: int, *, status: str, sql: str | None = None,
               rows: int | None = None, nbytes: int | None = None,
               error: str | None = None) -> bool:
        """Record the outcome and claim the run's pending deliveries for us, in
        one transaction; False when we lost the lease (the new owner delivers)."""
        with self.db.tx() as db:
            cur = db.execute(
                "UPDATE report_runs SET status = ?, finished_at = ?, sql = ?, rows = ?,"
                " bytes = ?, error = ? WHERE id = ? AND owner = ? AND status = 'running'",
                (status, iso(datetime.now(UTC)), sql, rows, nbytes, error, run_id, self.owner))
            if cur.rowcount != 1:
                return False
            db.execute("UPDATE report_deliveries SET status = 'sending', lease_until = ?"
                       " WHERE run_id = ? AND status = 'pending'",
                       (time.time() + STALE_AFTER_S, run_id))
        return True

    def run_for(self, report: str, slot: str) -> Run | None:
        rows = self._read("SELECT * FROM report_runs WHERE report = ? AND slot = ?",
                          (report, slot))
        return self._run(rows[0]) if rows else None

    def newest_scheduled_slot(self, report: str) -> str | None:
        """The latest slot of ``report`` that a schedule (not `report run`) claimed."""
        rows = self._read("SELECT max(slot) FROM report_runs WHERE report = ?"
                          " AND trigger = 'schedule'", (report,))
        return rows[0][0] if rows else None

    def get_run(self, run_id: int) -> Run:
        return self._run(self._read("SELECT * FROM report_runs WHERE id = ?", (run_id,))[0])

    def history(self, report: str, limit: int = 20) -> list[Run]:
        rows = self._read("SELECT * FROM report_runs WHERE report = ?"
                          " ORDER BY started_at DESC, id DESC LIMIT ?", (report, limit))
        return [self._run(r) for r in rows]

    def _run(self, row: Record) -> Run:
        deliveries = [_delivery(d) for d in self._read(
            "SELECT * FROM report_deliveries WHERE run_id = ? ORDER BY position", (row["id"],))]
        keys = ("id", "report", "slot", "trigger", "status", "started_at", "finished_at", "owner",
                "attempts", "sql", "rows", "bytes", "error", "result_path")
        return Run(**{k: row[k] for k in keys}, deliveries=deliveries)

    # -- deliveries --------------------------------------------------------------

    def retryable(self, now: datetime) -> list[Delivery]:
        """Deliveries of finished runs that are due another round: failed ones
        whose backoff has passed, and ones whose sender died mid-send."""
        rows = self._read(
            "SELECT d.* FROM report_deliveries d JOIN report_runs r ON r.id = d.run_id"
            f" WHERE r.status != 'running' AND {_RETRYABLE}"
            " ORDER BY d.run_id, d.position", (iso(now), time.time()))
        return [_delivery(r) for r in rows]

    def claim_delivery(self, delivery_id: int, now: datetime) -> bool:
        """Take a retryable delivery; False when another process got it first."""
        return self._write(
            f"UPDATE report_deliveries AS d SET status = 'sending', lease_until = ?"
            f" WHERE id = ? AND {_RETRYABLE}",
            (time.time() + STALE_AFTER_S, delivery_id, iso(now), time.time())) == 1

    def delivered(self, delivery_id: int, attempts: int) -> None:
        self._write(
            "UPDATE report_deliveries SET status = 'delivered', attempts = attempts + ?,"
            " rounds = rounds + 1, delivered_at = ?, error = NULL, lease_until = NULL"
            " WHERE id = ?", (attempts, iso(datetime.now(UTC)), delivery_id))

    def delivery_failed(self, delivery_id: int, attempts: int, error: str,
                        retry_at: datetime | None) -> None:
        """Mark a round failed; ``retry_at`` None means give up for good."""
        self._write(
            "UPDATE report_deliveries SET status = ?, attempts = attempts + ?,"
            " rounds = rounds + 1, next_attempt_at = ?, error = ?, lease_until = NULL"
            " WHERE id = ?",
            ("failed" if retry_at else "gave_up", attempts, iso(retry_at) if retry_at else None,
             error, delivery_id))


# Failed and past its backoff, or claimed by a sender whose lease ran out.
_RETRYABLE = ("((d.status = 'failed' AND d.next_attempt_at <= ?)"
              " OR (d.status IN ('sending', 'pending') AND coalesce(d.lease_until, 0) < ?))")


def _delivery(row: Record) -> Delivery:
    return Delivery(row["id"], row["run_id"], row["position"],
                    Destination.from_json(row["destination"]), row["label"], row["status"],
                    row["attempts"], row["rounds"], row["next_attempt_at"],
                    row["delivered_at"], row["error"])


class Heartbeat:
    """Refreshes a run's lease from a background thread while the run works
    (the run's long query is the warehouse's; the state statements are tiny)."""

    def __init__(self, db: StateDB, run_id: int, owner: str, every_s: float = 30.0) -> None:
        self.db, self.run_id, self.owner, self.every_s = db, run_id, owner, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{run_id}",
                                        daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.db.execute("UPDATE report_runs SET heartbeat = ? WHERE id = ? AND owner = ?",
                                (time.time(), self.run_id, self.owner))
            except (SQLAlchemyError, ConfigError) as e:
                # One lost beat (a lock held past busy_timeout, a network blip)
                # must not end the beating: a silent lease hands the run to
                # another process, which would run the query a second time.
                log.warning("report run %d: heartbeat failed: %s", self.run_id, e)
