"""Signature verification with Slack's real algorithm, and command parsing."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from nl2sql.slack.verify import (
    InvalidRequest,
    RequestVerifier,
    SlashCommand,
    is_ssl_check,
    parse_command,
    parse_form,
)
from tests.slack.peers import SECRET, command_body, sign

BODY = command_body("How many orders?", "https://hooks.slack.com/commands/T0/1/abc")


def test_slack_documented_example_verifies() -> None:
    # The worked example from Slack's "Verifying requests from Slack" page.
    body = (b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
            b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
            b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
            b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
            b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
    signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    headers = {"X-Slack-Request-Timestamp": "1531420618", "X-Slack-Signature": signature}
    RequestVerifier("8f742231b10e8888abcd99yyyzzz85a5", now=lambda: 1531420618 + 10).verify(
        body, headers)


def test_valid_signature_passes() -> None:
    RequestVerifier(SECRET).verify(BODY, sign(BODY))


# Signed when the test runs, not when it is collected: a slow suite would
# otherwise make the timestamp stale before the signature is checked.
@pytest.mark.parametrize(("headers", "reason"), [
    (lambda: {}, "missing signature headers"),
    (lambda: {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"},
     "malformed timestamp"),
    (lambda: sign(BODY, secret="another-secret"), "bad signature"),
    (lambda: sign(BODY + b"&text=tampered"), "bad signature"),  # signed another body
])
def test_bad_requests_are_refused_with_a_reason(headers: Callable[[], dict[str, str]],
                                                reason: str) -> None:
    with pytest.raises(InvalidRequest) as e:
        RequestVerifier(SECRET).verify(BODY, headers())
    assert e.value.reason == reason


@pytest.mark.parametrize("offset", [-301, 301])
def test_timestamps_outside_five_minutes_are_stale(offset: int) -> None:
    ts = int(time.time()) + offset
    with pytest.raises(InvalidRequest, match="stale timestamp"):
        RequestVerifier(SECRET).verify(BODY, sign(BODY, timestamp=ts))


def test_just_inside_five_minutes_is_accepted() -> None:
    ts = int(time.time()) - 290
    RequestVerifier(SECRET).verify(BODY, sign(BODY, timestamp=ts))


def test_header_names_are_case_insensitive() -> None:
    headers = {k.lower(): v for k, v in sign(BODY).items()}
    RequestVerifier(SECRET).verify(BODY, headers)


def test_parse_command() -> None:
    command = parse_command(parse_form(BODY))
    assert command == SlashCommand(
        command="/ask", text="How many orders?", team_id="T0TEAM", channel_id="C0DATA",
        user_id="U0ANALYST", user_name="ana",
        response_url="https://hooks.slack.com/commands/T0/1/abc")
    assert command.user_key == "slack:T0TEAM:U0ANALYST"


def test_parse_command_needs_the_routing_fields() -> None:
    with pytest.raises(ValueError, match="response_url"):
        parse_command({"team_id": "T", "channel_id": "C", "user_id": "U", "text": "hi"})


def test_ssl_check() -> None:
    assert is_ssl_check(parse_form(b"ssl_check=1&token=abc"))
    assert not is_ssl_check(parse_form(BODY))
