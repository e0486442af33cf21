"""Cron schedules evaluated in a report's time zone.

A *slot* is one scheduled instant. ``report due`` runs the latest slot at or
before now, so a scheduler that was down for a day runs one catch-up, not a
flood. Slots are keyed by their UTC instant (``2025-03-10T08:00:00Z``), which is
what the run store makes unique.

Daylight saving: a wall-clock time that does not exist (clocks go forward)
runs at the first instant after the gap, as croniter computes it. A wall-clock
time that happens twice (clocks go back) runs once when the cron names a fixed
hour (``30 1 * * *``), like Vixie cron; with a wildcard hour (``*/30 * * * *``)
every real instant is a slot.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

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
    return None


def check_timezone(name: str) -> str | None:
    """Why ``name`` is not an IANA time zone, or None when it is."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{name!r} is not a known IANA time zone (e.g. Europe/Lisbon, UTC)"
    return None


def _fixed_hour(expr: str) -> bool:
    if expr.startswith("@"):
        return expr != "@hourly"
    return croniter(expr).expanded[1] != ["*"]


def _second_of_repeated(moment: datetime, tz: ZoneInfo) -> bool:
    """True when ``moment``'s wall time occurs twice and this is the later one."""
    wall = moment.astimezone(tz).replace(tzinfo=None)
    first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
    return first.utcoffset() != second.utcoffset() and moment == second


def latest_slot(expr: str, timezone: str, now: datetime) -> datetime:
    """The latest scheduled instant at or before ``now`` (returned in UTC)."""
    tz = ZoneInfo(timezone)
    # croniter's get_prev is strictly before its start; start a second later
    # so a slot exactly at ``now`` counts. Slots are whole minutes, so no
    # earlier slot can fall inside that second.
    it = croniter(expr, now.astimezone(tz) + timedelta(seconds=1))
    slot: datetime = it.get_prev(datetime)
    if _fixed_hour(expr) and _second_of_repeated(slot, tz):
        slot = it.get_prev(datetime)
    return slot.astimezone(UTC)


def next_slot(expr: str, timezone: str, after: datetime) -> datetime:
    """The first scheduled instant strictly after ``after`` (returned in UTC)."""
    tz = ZoneInfo(timezone)
    it = croniter(expr, after.astimezone(tz))
    slot: datetime = it.get_next(datetime)
    if _fixed_hour(expr) and _second_of_repeated(slot, tz):
        slot = it.get_next(datetime)
    return slot.astimezone(UTC)


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
