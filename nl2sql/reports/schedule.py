"""Cron schedules evaluated in a report's time zone.

A *slot* is one scheduled instant. ``report due`` runs the latest slot at or
before now, so a scheduler that was down for a day runs one catch-up, not a
flood. Slots are keyed by their UTC instant (``2025-03-10T08:00:00Z``), which is
what the run store makes unique.

Daylight saving: a wall-clock time that happens twice (clocks go back) is one
slot, its first occurrence, so a daily 01:30 report runs once that night. A
wall-clock time that does not exist (clocks go forward) runs as late as the gap
is long (01:30 in a 01:00-02:00 gap runs at 02:30), PEP 495's reading; it never
silently disappears.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadDateError, croniter

# @reboot has no slot and six/seven fields (seconds, years) are finer than a
# minute-by-minute `report due` can honour, so only these forms are accepted.
ALIASES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


def check_schedule(expr: str) -> str | None:
    """Why ``expr`` is not an acceptable cron expression, or None when it is."""
    expr = expr.strip()
    if expr.startswith("@"):
        return None if expr in ALIASES else f"{expr!r} is not one of {', '.join(ALIASES)}"
    if len(expr.split()) != 5:
        return (f"{expr!r} must have five fields (minute hour day-of-month month "
                "day-of-week)")
    if not croniter.is_valid(expr):
        try:
            croniter(expr)
        except (ValueError, KeyError) as e:
            return f"{expr!r} is not a valid cron expression: {e}"
        return f"{expr!r} is not a valid cron expression"
    try:
        # Valid syntax can still name a day that never comes (30 February);
        # computing slots would then fail in every `report due`.
        croniter(expr, datetime(2000, 1, 1)).get_next(datetime)
    except CroniterBadDateError:
        return f"{expr!r} never happens (no month has that day)"
    return None


def check_timezone(name: str) -> str | None:
    """Why ``name`` is not an IANA time zone, or None when it is."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{name!r} is not a known IANA time zone (e.g. Europe/Lisbon, UTC)"
    return None


# Wall-clock offsets of one zone differ by at most about two hours, so a window
# this wide around ``now`` holds every candidate that can map to the answer.
_WINDOW = timedelta(hours=3)


def _instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a naive wall-clock time: the first occurrence of a
    repeated time; for a time inside a gap, PEP 495's fold=0 reading (as if the
    clocks had not moved yet, i.e. as late as the gap is long)."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def latest_slot(expr: str, timezone: str, now: datetime) -> datetime:
    """The latest scheduled instant at or before ``now`` (returned in UTC)."""
    tz = ZoneInfo(timezone)
    now = now.astimezone(UTC)
    wall_now = now.astimezone(tz).replace(tzinfo=None)
    # croniter walks naive wall-clock times (it mishandles ``fold`` on aware
    # ones); mapping to instants is not monotonic around a DST change, so keep
    # the best candidate until the walk is well past it.
    it = croniter(expr, wall_now + _WINDOW)
    best: tuple[datetime, datetime] | None = None  # (instant, wall)
    while True:
        wall: datetime = it.get_prev(datetime)
        if best is not None and wall < best[1] - _WINDOW:
            return best[0]
        instant = _instant(wall, tz)
        if instant <= now and (best is None or instant > best[0]):
            best = (instant, wall)


def next_slot(expr: str, timezone: str, after: datetime) -> datetime:
    """The first scheduled instant strictly after ``after`` (returned in UTC)."""
    tz = ZoneInfo(timezone)
    after = after.astimezone(UTC)
    wall_after = after.astimezone(tz).replace(tzinfo=None)
    it = croniter(expr, wall_after - _WINDOW)
    best: tuple[datetime, datetime] | None = None
    while True:
        wall: datetime = it.get_next(datetime)
        if best is not None and wall > best[1] + _WINDOW:
            return best[0]
        instant = _instant(wall, tz)
        if instant > after and (best is None or instant < best[0]):
            best = (instant, wall)


def slot_key(slot: datetime) -> str:
    """The store's key for a slot: its UTC instant to the second."""
    return slot.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_now(text: str | None) -> datetime:
    """``--now``: ISO 8601; without an offset it means UTC. None means the clock."""
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time, e.g. 2025-03-10T08:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
