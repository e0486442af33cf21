"""Posting to a command's ``response_url``: retries with backoff inside Slack's budget.

Slack accepts at most five posts to one ``response_url`` and only for thirty
minutes after the command. Every attempt counts against that budget (a post
that timed out may still have landed), so retries never push a later message
(the answer after a progress note, an error after a failed answer) past it.
slack_sdk's ``WebhookClient`` does the HTTP; its own retry handlers are turned
off so that each attempt is one we counted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)

MAX_POSTS = 5
WINDOW_S = 30 * 60
#: Seconds to wait before each retry; four retries plus the first try use the five posts.


@dataclass
class Budget:
    """What is left of one ``response_url``'s allowance; thread-safe."""

    received_at: float = field(default_factory=time.monotonic)
    max_posts: int = MAX_POSTS
    window_s: float = WINDOW_S
    used: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, now: float | None = None) -> str | None:
        """Spend one post; returns why not when the budget is gone (None when spent)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if now - self.received_at >= self.window_s:
                return f"response_url expired ({self.window_s:.0f} s window)"
            if self.used >= self.max_posts:
                return f"response_url used {self.used} times (Slack allows {self.max_posts})"
            self.used += 1
            return None

    @property
    def remaining(self) -> int:
        with self._lock:
            return max(0, self.max_posts - self.used)


@dataclass
class Delivery:
    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None


def _retryable(status: int) -> bool:
    # 429 and 5xx are Slack saying "later"; other 4xx (expired_url, used_url,
    # invalid_blocks) will fail the same way again.
    return status == 429 or status >= 500


class Responder:
    """Posts messages to response URLs; ``sleep`` and ``backoff`` are injectable for tests."""

    def __init__(self, *, backoff: Sequence[float], timeout_s: int,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.backoff = tuple(backoff)
        self.timeout_s = timeout_s
        self.sleep = sleep

    def post(self, url: str, message: dict[str, Any], budget: Budget) -> Delivery:
        """Post ``message``; retry failures with backoff while the budget allows."""
        client = WebhookClient(url, timeout=self.timeout_s, retry_handlers=[])
        delays = iter(self.backoff)
        wait = 0.0
        last = Delivery(ok=False, attempts=0, error="not attempted")
        while True:
            if wait:
                self.sleep(wait)
            refused = budget.take()
            if refused:
                log.warning("slack post not sent: %s", refused)
                return Delivery(ok=False, attempts=last.attempts, status=last.status,
                                error=last.error if last.attempts else refused)
            attempt = last.attempts + 1
            retry_after: float | None = None
            try:
                response = client.send_dict(dict(message))
            except Exception as e:  # noqa: BLE001 - connection errors are retryable
                last = Delivery(ok=False, attempts=attempt, error=f"{type(e).__name__}: {e}")
                log.warning("slack post attempt %d failed: %s", attempt, last.error)
            else:
                if response.status_code == 200:
                    return Delivery(ok=True, attempts=attempt, status=200)
                last = Delivery(ok=False, attempts=attempt, status=response.status_code,
                                error=_clip(response.body))
                log.warning("slack post attempt %d: HTTP %s %s", attempt,
                            response.status_code, last.error)
                if not _retryable(response.status_code):
                    return last
                retry_after = _retry_after(response.headers)
            step = next(delays, None)
            if step is None:
                return last
            # Honour Slack's own Retry-After when it asks for longer than our next step.
            wait = max(step, retry_after or 0.0)


def _clip(body: str | None, limit: int = 200) -> str:
    body = (body or "").strip()
    return body if len(body) <= limit else body[:limit] + "…"


def _retry_after(headers: Any) -> float | None:
    try:
        value = {k.lower(): v for k, v in dict(headers or {}).items()}.get("retry-after")
        if isinstance(value, list):
            value = value[0] if value else None
        return min(float(value), 60.0) if value is not None else None
    except (TypeError, ValueError):
        return None
