"""Who is calling: Slack's request signature, and the slash command it carries.

Slack signs every request with HMAC-SHA256 over ``v0:{timestamp}:{raw body}``
using the app's signing secret. slack_sdk's ``SignatureVerifier`` does the
arithmetic; this module adds the reason a request failed (for logs, never for
the caller) and parses the form body only after the signature holds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

from slack_sdk.signature import Clock, SignatureVerifier

#: Slack's replay window: older (or further in the future) requests are refused.
MAX_AGE_S = 5 * 60


class InvalidRequest(Exception):
    """The request is not provably from Slack; ``reason`` is for our logs only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _FnClock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class RequestVerifier:
    """Checks ``X-Slack-Signature`` and ``X-Slack-Request-Timestamp``."""

    def __init__(self, signing_secret: str, now: Callable[[], float] = time.time) -> None:
        self._now = now
        self._verifier = SignatureVerifier(signing_secret, clock=_FnClock(now))

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Raise ``InvalidRequest`` unless ``body`` was signed by Slack recently."""
        lower = {k.lower(): v for k, v in headers.items()}
        timestamp = lower.get("x-slack-request-timestamp")
        signature = lower.get("x-slack-signature")
        if not timestamp or not signature:
            raise InvalidRequest("missing signature headers")
        try:
            ts = int(timestamp)
        except ValueError:
            raise InvalidRequest("malformed timestamp") from None
        # Checked here as well as in slack_sdk so the log can tell stale from forged.
        if abs(self._now() - ts) > MAX_AGE_S:
            raise InvalidRequest(f"stale timestamp ({int(self._now() - ts)} s old)")
        if not self._verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
            raise InvalidRequest("bad signature")


@dataclass(frozen=True)
class SlashCommand:
    """The fields of a slash command we use (Slack sends more)."""

    command: str
    text: str
    team_id: str
    channel_id: str
    user_id: str
    user_name: str
    response_url: str
    enterprise_id: str = ""

    @property
    def user_key(self) -> str:
        """One Slack user, for rate limits, conversations and logs.

        User ids are unique within a workspace (team), so the team is part of the key.
        """
        return f"slack:{self.team_id}:{self.user_id}"


def parse_form(body: bytes) -> dict[str, str]:
    """The form fields of a urlencoded body (last value wins, blanks kept)."""
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[-1] for k, v in parsed.items()}


def parse_command(form: Mapping[str, str]) -> SlashCommand:
    """A ``SlashCommand`` from Slack's form fields; raises ``ValueError`` when incomplete."""
    missing = [k for k in ("team_id", "channel_id", "user_id", "response_url") if not form.get(k)]
    if missing:
        raise ValueError(f"slash command without {', '.join(missing)}")
    return SlashCommand(
        command=form.get("command") or "/ask",
        text=(form.get("text") or "").strip(),
        team_id=form["team_id"],
        channel_id=form["channel_id"],
        user_id=form["user_id"],
        user_name=form.get("user_name", ""),
        response_url=form["response_url"],
        enterprise_id=form.get("enterprise_id", ""),
    )


def is_ssl_check(form: Mapping[str, str]) -> bool:
    """Slack's certificate probe: ``ssl_check=1`` (answered 200, nothing else happens)."""
    return form.get("ssl_check") == "1"
