"""``report serve``: an in-process scheduler for a single machine.

It is ``report due`` in a loop, once a minute, so it shares every guarantee:
slots are claimed in the run store, so a second ``serve`` (or a cron job
calling ``report due``) on the same state database never doubles a run. The
definitions file is re-read every tick; an edit that breaks it is logged and
the last good definitions keep running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from nl2sql.errors import Nl2SqlError
from nl2sql.reports.definitions import Report
from nl2sql.reports.runner import Outcome, ReportRunner

log = logging.getLogger(__name__)

TICK_OFFSET_S = 1.0  # wake just after the minute so the new slot is "at or before now"


def seconds_to_next_tick(now: datetime, interval_s: float) -> float:
    """Seconds until the next multiple of ``interval_s`` (plus a small offset)."""
    epoch = now.timestamp()
    return interval_s - (epoch % interval_s) + TICK_OFFSET_S


def serve(load: Callable[[], list[Report]], runner: ReportRunner, stop: threading.Event, *,
          interval_s: float = 60.0, on_outcomes: Callable[[list[Outcome]], None] | None = None,
          clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
    """Run due reports every ``interval_s`` until ``stop`` is set. The first
    ``load()`` must succeed; later failures keep the previous definitions."""
    reports = load()
    log.info("serving %d report(s)", len(reports))
    while not stop.is_set():
        try:
            reports = load()
        except Nl2SqlError as e:
            log.error("keeping the previous definitions: %s", e.message)
        try:
            outcomes = runner.due(reports, clock())
        except Exception:  # a bad tick must not end the scheduler
            log.exception("report tick failed")
        else:
            if on_outcomes is not None:
                on_outcomes(outcomes)
        stop.wait(seconds_to_next_tick(clock(), interval_s))
