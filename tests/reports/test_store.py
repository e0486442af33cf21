"""The run store: atomic slot claims, leases, takeover of a dead owner's run.

Every test runs on SQLite and on a real PostgreSQL server (``state_url``); each
store has its own connections, as separate processes or instances would."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from nl2sql.reports.definitions import Destination
from nl2sql.reports.store import STALE_AFTER_S, Heartbeat, RunStore
from nl2sql.state.db import StateDB

HOOK = (Destination("slack_webhook", "${HOOK}"),)
NOW = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


def test_one_claim_wins_among_many_threads_and_connections(state_url: str) -> None:
    stores = [RunStore(state_url) for _ in range(8)]
    won: list[int] = []
    barrier = threading.Barrier(len(stores))

    def claim(store: RunStore) -> None:
        barrier.wait()
        run = store.claim("r", "2025-03-10T08:00:00Z", "schedule", HOOK)
        if run is not None:
            won.append(run.id)

    threads = [threading.Thread(target=claim, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    (run,) = stores[0].history("r")
    assert [d.label for d in run.deliveries] == ["slack_webhook:${HOOK}"]
    for s in stores:
        s.close()


def test_a_dead_owners_run_is_taken_over(state_url: str) -> None:
    path = state_url
    crashed, rescuer = RunStore(path), RunStore(path)
    rescuer.owner = "other-host:1"
    run = crashed.claim("r", "s1", "schedule", HOOK)
    assert run is not None
    assert rescuer.claim("r", "s1", "schedule", HOOK) is None  # alive: hands off
    assert rescuer.stale_runs() == []

    # The owner stops refreshing its lease (a crash).
    crashed._write("UPDATE report_runs SET heartbeat = ?", (time.time() - STALE_AFTER_S - 1,))
    (stale,) = rescuer.stale_runs()
    taken = rescuer.take_over(stale)
    assert taken is not None and taken.owner == "other-host:1" and taken.attempts == 2
    assert rescuer.take_over(stale) is None  # only once
    # The old owner, should it wake up, can no longer finish or deliver.
    assert not crashed.finish(run.id, status="succeeded")
    assert rescuer.finish(run.id, status="succeeded")
    crashed.close()
    rescuer.close()


def test_owners_are_distinct_even_on_one_host_and_pid(state_url: str) -> None:
    # Two containers on the host's network share its hostname and both run as
    # pid 1: here, two stores in one process stand for them.
    path = state_url
    stalled, rescuer = RunStore(path), RunStore(path)
    run = stalled.claim("r", "s1", "schedule", HOOK)
    assert run is not None
    stalled._write("UPDATE report_runs SET heartbeat = ?", (time.time() - STALE_AFTER_S - 1,))
    assert rescuer.take_over(run) is not None
    assert not stalled.finish(run.id, status="succeeded")
    assert rescuer.finish(run.id, status="succeeded")
    stalled.close()
    rescuer.close()


def test_delivery_claims_are_exclusive_and_wait_for_backoff(state_url: str) -> None:
    a, b = RunStore(state_url), RunStore(state_url)
    run = a.claim("r", "s1", "schedule", HOOK)
    assert run is not None
    a.set_result_path(run.id, "/tmp/result.json")
    assert a.finish(run.id, status="succeeded")
    (delivery,) = a.get_run(run.id).deliveries
    assert delivery.status == "sending"
    assert a.retryable(NOW) == []  # its sender holds a live lease

    a.delivery_failed(delivery.id, 3, "HTTP 500", NOW + timedelta(minutes=1))
    assert a.retryable(NOW) == []
    (due,) = b.retryable(NOW + timedelta(minutes=1))
    assert b.claim_delivery(due.id, NOW + timedelta(minutes=1))
    assert not a.claim_delivery(due.id, NOW + timedelta(minutes=1))
    b.delivered(due.id, 1)
    (done,) = a.get_run(run.id).deliveries
    assert (done.status, done.attempts, done.rounds, done.error) == ("delivered", 4, 2, None)
    a.close()
    b.close()


def test_the_heartbeat_survives_a_failed_beat(state_url: str) -> None:
    store = RunStore(state_url)
    run = store.claim("r", "s1", "schedule", HOOK)
    assert run is not None
    other = StateDB(state_url)

    def beat() -> float:
        return float(other.fetch("SELECT heartbeat FROM report_runs")[0][0])

    with Heartbeat(store.db, run.id, store.owner, every_s=0.02):
        # The table is out of reach for a while: those beats fail.
        other.execute("ALTER TABLE report_runs RENAME TO report_runs_away")
        time.sleep(0.2)
        other.execute("ALTER TABLE report_runs_away RENAME TO report_runs")
        before = beat()
        deadline = time.monotonic() + 5
        while beat() == before and time.monotonic() < deadline:
            time.sleep(0.02)
    assert beat() > before  # still beating afterwards
    other.close()
    store.close()
