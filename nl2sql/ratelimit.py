"""Per-user rate limits: ``NL2SQL_RATE_LIMIT`` like ``30/minute``.

A sliding window over the hits of the last period, kept in the state database
so that every gunicorn worker and every instance (Slack too) counts against the
same budget; a per-process counter would let N workers grant N times the limit.
The read-then-write runs under a lock named after the user (``StateDB.tx``).

>>> Rate.parse("30/minute")
Rate(count=30, period_s=60.0)
>>> Rate.parse("500 / 2 hours")
Rate(count=500, period_s=7200.0)
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from nl2sql.errors import ConfigError, RateLimited
from nl2sql.state.db import StateDB

UNITS = {"s": 1.0, "sec": 1.0, "second": 1.0, "m": 60.0, "min": 60.0, "minute": 60.0,
         "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "d": 86400.0, "day": 86400.0}
DISABLED = {"", "off", "none", "unlimited", "0"}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")



@dataclass(frozen=True)
class Rate:
    count: int
    period_s: float

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """``N/unit`` or ``N/K units``; None when the limit is switched off."""
        if text.strip().lower() in DISABLED:
            return None
        m = _RATE.match(text.lower())
        if not m or m.group(3) not in UNITS or int(m.group(1)) <= 0:
            raise ConfigError(
                f"rate limit {text!r} is not valid: use e.g. '30/minute', '500/hour' or 'off'"
            )
        return cls(int(m.group(1)), int(m.group(2) or 1) * UNITS[m.group(3)])

    def __str__(self) -> str:
        for unit in ("second", "minute", "hour", "day"):
            if self.period_s == UNITS[unit]:
                return f"{self.count} per {unit}"
        return f"{self.count} per {self.period_s:g} seconds"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after_s: float  # 0 when allowed


class RateLimiter:
    """``hit(key)`` counts one request for ``key`` (a user) and says if it may go on."""

    def __init__(self, rate: Rate | str | None, db: StateDB | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.rate = Rate.parse(rate) if isinstance(rate, str) else rate
        self.db = db or StateDB(":memory:")
        self.clock = clock

    def hit(self, key: str) -> Decision:
        if self.rate is None:
            return Decision(True, 0, 0.0)
        now = self.clock()
        window_start = now - self.rate.period_s
        with self.db.tx(lock=f"rate:{key}") as conn:
            conn.execute("DELETE FROM rate_hits WHERE key = ? AND at <= ?", (key, window_start))
            rows = conn.execute("SELECT count(*), min(at) FROM rate_hits WHERE key = ?",
                                (key,)).fetchone()
            assert rows is not None  # an aggregate always returns one row
            used, oldest = int(rows[0]), rows[1]
            if used >= self.rate.count:
                # A refused request is not recorded: waiting it out must work.
                retry = max(oldest + self.rate.period_s - now, 0.0)
                return Decision(False, 0, retry)
            conn.execute("INSERT INTO rate_hits (key, at) VALUES (?, ?)", (key, now))
        return Decision(True, self.rate.count - used - 1, 0.0)

    def check(self, key: str, what: str = "questions") -> Decision:
        """Like ``hit`` but raises ``RateLimited`` (HTTP 429) when over the limit;
        ``what`` names what is counted, for the message."""
        decision = self.hit(key)
        if not decision.allowed:
            wait = max(1, math.ceil(decision.retry_after_s))
            raise RateLimited(
                f"too many {what}: the limit is {self.rate}; try again in {_duration(wait)}",
                retry_after_s=wait,
            )
        return decision


def _duration(seconds: int) -> str:
    """'1 second', '55 seconds', '2 minutes 5 seconds': how long, as a person says it."""
    minutes, rest = divmod(seconds, 60)
    parts = [f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes else []
    if rest or not parts:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)
