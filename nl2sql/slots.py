"""At most N of one kind of work at once, across every worker process.

gunicorn runs several processes, so a per-process semaphore would grant N per
worker; like the rate limiter, the slots are rows in the shared state database.
Each is a lease that expires, so a worker killed mid-export cannot hold its
slot for ever.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from nl2sql.errors import Busy
from nl2sql.state.db import StateDB


class Slots:
    """``hold()`` takes one of ``limit`` slots of ``kind`` or raises ``Busy`` (503)."""

    def __init__(self, db: StateDB, kind: str, limit: int, *, lease_s: float,
                 retry_after_s: int = 5, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.kind = kind
        self.limit = limit
        self.lease_s = lease_s
        self.retry_after_s = retry_after_s
        self.clock = clock

    def acquire(self) -> str | None:
        """A holder token, or None when every slot is taken."""
        now = self.clock()
        holder = secrets.token_hex(8)
        with self.db.tx(lock=f"slots:{self.kind}") as conn:
            conn.execute("DELETE FROM work_slots WHERE kind = ? AND expires <= ?",
                         (self.kind, now))
            row = conn.execute("SELECT count(*) FROM work_slots WHERE kind = ?",
                               (self.kind,)).fetchone()
            taken = row[0] if row is not None else 0
            if taken >= self.limit:
                return None
            conn.execute("INSERT INTO work_slots (kind, holder, expires) VALUES (?, ?, ?)",
                         (self.kind, holder, now + self.lease_s))
        return holder

    def release(self, holder: str) -> None:
        with self.db.tx() as conn:
            conn.execute("DELETE FROM work_slots WHERE kind = ? AND holder = ?",
                         (self.kind, holder))

    @contextmanager
    def hold(self, busy_message: str) -> Iterator[None]:
        holder = self.acquire()
        if holder is None:
            raise Busy(busy_message, retry_after_s=self.retry_after_s)
        try:
            yield
        finally:
            self.release(holder)
