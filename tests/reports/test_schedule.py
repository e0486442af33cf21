"""Slots: the latest scheduled instant at or before now, in the report's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nl2sql.reports.schedule import (
    check_schedule,
    check_timezone,
    latest_slot,
    next_slot,
    parse_now,
    slot_key,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
        second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(("expr", "tz", "now", "slot"), [
    # A slot exactly at now counts; a second before, it is yesterday's.
    ("0 8 * * *", "Europe/Lisbon", utc(2025, 3, 10, 8, 0), utc(2025, 3, 10, 8, 0)),
    ("0 8 * * *", "Europe/Lisbon", utc(2025, 3, 10, 7, 59, 59), utc(2025, 3, 9, 8, 0)),
    # Summer time: 08:00 in Lisbon is 07:00 UTC.
    ("0 8 * * *", "Europe/Lisbon", utc(2025, 7, 10, 7, 30), utc(2025, 7, 10, 7, 0)),
    ("0 8 * * MON", "America/New_York", utc(2025, 3, 12, 0, 0), utc(2025, 3, 10, 12, 0)),
    ("@daily", "UTC", utc(2025, 3, 10, 23, 59), utc(2025, 3, 10, 0, 0)),
    ("0 0 1 1 *", "UTC", utc(2025, 6, 1), utc(2025, 1, 1)),
])
def test_latest_slot(expr: str, tz: str, now: datetime, slot: datetime) -> None:
    assert latest_slot(expr, tz, now) == slot


def _slots(expr: str, tz: str, start: datetime, hours: int) -> list[str]:
    seen: list[str] = []
    t = start
    while t < start + timedelta(hours=hours):
        key = slot_key(latest_slot(expr, tz, t))
        if not seen or seen[-1] != key:
            seen.append(key)
        t += timedelta(minutes=1)
    return seen


def test_repeated_hour_runs_a_wall_clock_time_once() -> None:
    # 2025-10-26 Lisbon: 02:00 WEST becomes 01:00 WET, so 01:30 happens twice.
    assert _slots("30 1 * * *", "Europe/Lisbon", utc(2025, 10, 25, 23, 0), 4) == [
        "2025-10-25T00:30:00Z", "2025-10-26T00:30:00Z"]
    assert _slots("*/30 * * * *", "Europe/Lisbon", utc(2025, 10, 25, 23, 50), 3) == [
        "2025-10-25T23:30:00Z", "2025-10-26T00:00:00Z", "2025-10-26T00:30:00Z",
        "2025-10-26T02:00:00Z", "2025-10-26T02:30:00Z"]


def test_skipped_hour_still_runs() -> None:
    # 2025-03-30 Lisbon: 01:00 WET becomes 02:00 WEST; 01:30 does not exist.
    assert _slots("30 1 * * *", "Europe/Lisbon", utc(2025, 3, 29, 23, 0), 4) == [
        "2025-03-29T01:30:00Z", "2025-03-30T01:30:00Z"]


def test_slots_never_go_backwards_across_a_year() -> None:
    t, last = utc(2025, 1, 1), utc(2024, 1, 1)
    while t < utc(2026, 1, 1):
        slot = latest_slot("0 */6 * * *", "America/Sao_Paulo", t)
        assert last <= slot <= t
        last, t = slot, t + timedelta(hours=1, minutes=7)


def test_next_slot_is_strictly_after() -> None:
    assert next_slot("0 8 * * *", "Europe/Lisbon", utc(2025, 3, 10, 8, 0)) == \
        utc(2025, 3, 11, 8, 0)


@pytest.mark.parametrize(("expr", "ok"), [
    ("0 8 * * *", True), ("*/15 9-17 * * MON-FRI", True), ("@hourly", True),
    ("0 8 * *", False), ("0 8 * * * *", False), ("@reboot", False), ("61 8 * * *", False),
    ("a b c d e", False), ("0 8 30 2 *", False), ("0 8 31 4 *", False), ("0 8 29 2 *", True),
])
def test_check_schedule(expr: str, ok: bool) -> None:
    assert (check_schedule(expr) is None) is ok


def test_check_timezone() -> None:
    assert check_timezone("Europe/Lisbon") is None
    assert check_timezone("Mars/Olympus") is not None
    assert check_timezone("../../etc/passwd") is not None


def test_parse_now() -> None:
    assert parse_now("2025-03-10T08:00:00Z") == utc(2025, 3, 10, 8)
    assert parse_now("2025-03-10T08:00") == utc(2025, 3, 10, 8)
    assert parse_now("2025-03-10T09:00:00+01:00") == utc(2025, 3, 10, 8)
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_now("tomorrow")
