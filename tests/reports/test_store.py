"""The run store: atomic slot claims, leases, takeover of a dead owner's run."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nl2sql.reports.definitions import Destination
from nl2sql.reports.store import Heartbeat, RunStore, connect
from tests.reports.conftest import expire_heartbeats

HOOK = (Destination("slack_webhook", "${HOOK}"),)
NOW = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


def test_one_claim_wins_among_many_threads_and_connections(tmp_path: Path) -> None:
    stores = [RunStore(tmp_path / "state.sqlite3") for _ in range(8)]
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


def test_a_dead_owners_run_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    crashed, rescuer = RunStore(path), RunStore(path)
    rescuer.owner = "other-host:1"
    run = crashed.claim("r", "s1", "schedule", HOOK)
    assert run is not None
    assert rescuer.claim("r", "s1", "schedule", HOOK) is None  # alive: hands off
    assert rescuer.stale_runs() == []

    # The owner stops refreshing its lease (a crash).
    expire_heartbeats(path)
    (stale,) = rescuer.stale_runs()
    taken = rescuer.take_over(stale)
    assert taken is not None and taken.owner == "other-host:1" and taken.attempts == 2
    assert rescuer.take_over(stale) is None  # only once
    # The old owner, should it wake up, can no longer finish or deliver.
    assert not crashed.finish(run.id, status="succeeded")
    assert rescuer.finish(run.id, status="succeeded")


def test_owners_are_distinct_even_on_one_host_and_pid(tmp_path: Path) -> None:
    # Two containers on the host's network share its hostname and both run as
    # pid 1: here, two stores in one process stand for them.
    path = tmp_path / "state.sqlite3"
    stalled, rescuer = RunStore(path), RunStore(path)
    run = stalled.claim("r", "s1", "schedule", HOOK)
    assert run is not None
    expire_heartbeats(path)
    assert rescuer.take_over(run) is not None
    assert not stalled.finish(run.id, status="succeeded")
    assert rescuer.finish(run.id, status="succeeded")
    stalled.close()
    rescuer.close()


def test_delivery_claims_are_exclusive_and_wait_for_backoff(tmp_path: Path) -> None:
    a, b = RunStore(tmp_path / "s.sqlite3"), RunStore(tmp_path / "s.sqlite3")
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


def test_the_heartbeat_survives_a_failed_beat(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "state.sqlite3")
    run = store.claim("r", "s1", "schedule", HOOK)
    assert run is not None
    other = connect(store.path)

    def beat() -> float:
        return float(other.execute("SELECT heartbeat FROM report_runs").fetchone()[0])

    with Heartbeat(store.path, run.id, store.owner, every_s=0.02):
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
