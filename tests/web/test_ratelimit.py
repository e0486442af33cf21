"""Per-user rate limits: parsing, the sliding window, and sharing across processes."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import nl2sql.ratelimit
from nl2sql.errors import ConfigError, RateLimited
from nl2sql.ratelimit import Rate, RateLimiter
from nl2sql.state import StateDB


class Clock:
    now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("text", "count", "period"), [
    ("30/minute", 30, 60), ("500/hour", 500, 3600), ("5/second", 5, 1), ("1000/day", 1000, 86400),
    ("10 / 5 minutes", 10, 300), ("3/m", 3, 60), ("2/HOURS", 2, 3600),
])
def test_parse(text: str, count: int, period: float) -> None:
    assert Rate.parse(text) == Rate(count, period)


@pytest.mark.parametrize("text", ["off", "", "none", "0"])
def test_off(text: str) -> None:
    assert Rate.parse(text) is None
    limiter = RateLimiter(text)
    assert all(limiter.hit("u").allowed for _ in range(100))


@pytest.mark.parametrize("text", ["30", "x/minute", "30/fortnight", "-1/minute", "0/minute"])
def test_bad_rates_are_config_errors(text: str) -> None:
    with pytest.raises(ConfigError, match="rate limit"):
        Rate.parse(text)


def test_sliding_window_per_user() -> None:
    clock = Clock()
    limiter = RateLimiter("3/minute", clock=clock)
    assert [limiter.hit("alice").remaining for _ in range(3)] == [2, 1, 0]
    refused = limiter.hit("alice")
    assert not refused.allowed and refused.retry_after_s == pytest.approx(60)
    assert limiter.hit("bob").allowed  # users do not share a budget
    clock.now += 30
    assert limiter.check("bob")
    with pytest.raises(RateLimited) as e:
        limiter.check("alice")
    assert e.value.status == 429 and e.value.details["retry_after_s"] == 30
    assert "3 per minute" in e.value.message
    clock.now += 30.01  # the first hits leave the window; refusals never counted
    assert limiter.hit("alice").allowed


def test_limiters_on_one_file_share_the_budget(tmp_path: Path) -> None:
    """Two gunicorn workers (two handles on the state file) count together."""
    path = tmp_path / "state.sqlite3"
    one, two = RateLimiter("2/minute", StateDB(path)), RateLimiter("2/minute", StateDB(path))
    assert one.hit("alice").allowed and two.hit("alice").allowed
    assert not one.hit("alice").allowed and not two.hit("alice").allowed


def test_doctests() -> None:
    assert doctest.testmod(nl2sql.ratelimit).failed == 0
