"""Posting to a response_url: retries, backoff, and Slack's 5 posts / 30 minutes."""

from __future__ import annotations

import time

import pytest

from nl2sql.slack.responder import Budget, Responder
from tests.slack.peers import Peer, running

MESSAGE = {"response_type": "in_channel", "text": "42"}


def fast() -> Responder:
    """A responder that records its waits instead of sleeping."""
    return Responder(backoff=(0.5, 1.0, 2.0, 4.0), timeout_s=5, sleep=WAITS.append)


WAITS: list[float] = []


@pytest.fixture(autouse=True)
def _fresh_waits() -> None:
    WAITS.clear()


def test_first_try_success() -> None:
    with running(Peer()) as peer:
        delivery = fast().post(peer.base + "/r", MESSAGE, Budget())
    assert delivery.ok and delivery.attempts == 1
    assert [r.json() for r in peer.received] == [MESSAGE]
    assert peer.received[0].headers["Content-Type"].startswith("application/json")


def test_server_errors_are_retried_with_growing_backoff() -> None:
    responder = fast()
    with running(Peer(fail_first=2, fail_status=503)) as peer:
        delivery = responder.post(peer.base, MESSAGE, Budget())
    assert delivery.ok and delivery.attempts == 3
    assert WAITS == [0.5, 1.0]


def test_connection_refused_is_retried_then_reported() -> None:
    with running(Peer()) as peer:
        gone = peer.base  # nothing listens here once the peer stopped
    responder = fast()
    budget = Budget()
    delivery = responder.post(gone, MESSAGE, budget)
    assert not delivery.ok and delivery.attempts == 5
    assert "URLError" in (delivery.error or "")
    assert budget.remaining == 0


def test_client_errors_are_not_retried() -> None:
    with running(Peer(fail_first=9, fail_status=404)) as peer:
        delivery = fast().post(peer.base, MESSAGE, Budget())
    assert not delivery.ok and delivery.attempts == 1 and delivery.status == 404


def test_budget_caps_posts_across_messages() -> None:
    budget = Budget()
    with running(Peer()) as peer:
        results = [fast().post(peer.base, MESSAGE, budget).ok for _ in range(7)]
    assert results == [True] * 5 + [False] * 2
    assert len(peer.received) == 5


def test_retries_stop_when_the_budget_runs_out() -> None:
    budget = Budget()
    budget.used = 3  # two earlier messages went out
    with running(Peer(fail_first=9)) as peer:
        delivery = fast().post(peer.base, MESSAGE, budget)
    assert not delivery.ok and delivery.attempts == 2 and len(peer.received) == 2
    assert delivery.status == 500


def test_expired_response_url_is_not_used() -> None:
    budget = Budget(received_at=time.monotonic() - 30 * 60 - 1)
    with running(Peer()) as peer:
        delivery = fast().post(peer.base, MESSAGE, budget)
    assert not delivery.ok and delivery.attempts == 0 and "expired" in (delivery.error or "")
    assert peer.received == []


def test_retry_after_is_honoured_when_longer_than_backoff() -> None:
    responder = fast()
    peer = Peer(fail_first=2, fail_status=429, fail_headers={"Retry-After": "3"})
    with running(peer):
        delivery = responder.post(peer.base, MESSAGE, Budget())
    assert delivery.ok and delivery.attempts == 3
    assert WAITS == [3.0, 3.0]
