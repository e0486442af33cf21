"""Retries of Gemini requests, bounded by attempts and by the question's deadline.

The SDK's own retry (tenacity) backs off exponentially but cannot honour the
server's suggested delay on 429 (``google.rpc.RetryInfo.retryDelay``: a
per-minute quota says "retry in 37s") and knows nothing of a deadline, so the
adapter retries itself: every attempt gets ``min(per-call timeout, time left)``,
a 429 waits what the server asked for, other transient failures (408, 5xx,
timeouts, connection errors) back off exponentially with jitter, and nothing
sleeps past the deadline.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from google.genai import errors as genai_errors

T = TypeVar("T")

RETRY_STATUS_CODES = (408, 429, 500, 502, 503, 504)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff for transient failures.

    Delay before retry n (0-based) is about ``initial_delay * exp_base**n`` plus up
    to ``jitter`` seconds of randomness, capped at ``max_delay``; a 429 that carries
    the server's RetryInfo waits that long instead (the deadline permitting).
    """

    attempts: int = 5  # including the first request
    initial_delay: float = 1.0
    max_delay: float = 30.0
    exp_base: float = 2.0
    jitter: float = 1.0

    def backoff(self, retry: int) -> float:
        delay = min(self.initial_delay * self.exp_base ** retry, self.max_delay)
        return delay + random.uniform(0, self.jitter)  # noqa: S311 - jitter, not crypto


def server_retry_delay(error: BaseException) -> float | None:
    """The delay a 429 asks for (``RetryInfo.retryDelay``, e.g. ``"37s"``), or None.

    >>> e = genai_errors.APIError(429, {"error": {"code": 429, "details": [
    ...     {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}]}})
    >>> server_retry_delay(e)
    37.0
    """
    if not isinstance(error, genai_errors.APIError):
        return None
    body: Any = error.details
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    details = body.get("details") if isinstance(body, dict) else None
    for item in details if isinstance(details, list) else []:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("google.rpc.RetryInfo"):
            m = _DURATION.match(str(item.get("retryDelay", "")))
            if m:
                return float(m.group(1))
    return None


def is_transient(error: BaseException) -> bool:
    """Worth another attempt: 408/429/5xx, timeouts and connection failures."""
    if isinstance(error, genai_errors.APIError):
        return error.code in RETRY_STATUS_CODES or (error.code or 0) >= 500
    return transport_failure(error) is not None


def transport_failure(error: BaseException) -> str | None:
    """``timeout`` or ``transport`` for the SDK's HTTP client errors (httpx or its
    fork httpx2, whichever google-genai uses), else None."""
    if type(error).__module__.split(".")[0] not in ("httpx", "httpx2"):
        return None
    names = {cls.__name__ for cls in type(error).__mro__}
    if "TimeoutException" in names:
        return "timeout"
    return "transport" if "TransportError" in names else None


class OutOfTime(Exception):
    """The deadline left no time for (another) attempt; ``last`` is the failure before."""

    def __init__(self, last: BaseException | None, wanted_delay: float | None = None) -> None:
        super().__init__("out of time")
        self.last = last
        self.wanted_delay = wanted_delay


@dataclass
class Attempts:
    """How a call went: attempts made (for messages)."""

    made: int = 0


def call_with_retries(call: Callable[[float | None], T], policy: RetryPolicy,
                      deadline: float | None, timeout_s: float, attempts: Attempts,
                      clock: Callable[[], float] = time.monotonic,
                      sleep: Callable[[float], None] = time.sleep) -> T:
    """``call(timeout)`` until it succeeds, fails for good, or attempts/time run out.

    Raises the last error when attempts run out or it is not transient, and
    ``OutOfTime`` when the deadline cuts the retries short.
    """
    last: BaseException | None = None
    for n in range(max(policy.attempts, 1)):
        left = None if deadline is None else deadline - clock()
        if left is not None and left <= 0:
            raise OutOfTime(last)
        attempts.made = n + 1
        try:
            return call(timeout_s if left is None else min(timeout_s, left))
        except Exception as e:
            if not is_transient(e) or n + 1 >= policy.attempts:
                raise
            last = e
            asked = server_retry_delay(e) if getattr(e, "code", None) == 429 else None
            delay = asked if asked is not None else policy.backoff(n)
            if deadline is not None and clock() + delay >= deadline:
                raise OutOfTime(e, asked) from e
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
