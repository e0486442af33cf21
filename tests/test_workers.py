"""The bounded pool: at most N running, M waiting, the rest refused at once."""

from __future__ import annotations

import threading

import pytest

from nl2sql.workers import WorkerPool


def test_runs_at_most_workers_at_once_and_refuses_past_capacity() -> None:
    pool = WorkerPool(workers=2, max_waiting=1)
    gate = threading.Event()
    running, peak, lock = 0, 0, threading.Lock()

    def job() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        gate.wait(5)
        with lock:
            running -= 1

    futures = [pool.submit(job) for _ in range(4)]
    assert [f is not None for f in futures] == [True, True, True, False]
    assert pool.busy == 3
    gate.set()
    pool.close()
    assert peak == 2 and pool.busy == 0


def test_a_failing_job_frees_its_slot_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    pool = WorkerPool(workers=1, max_waiting=0, name="nl2sql-test")

    def boom() -> None:
        raise RuntimeError("boom")

    future = pool.submit(boom)
    assert future is not None
    future.result(5)  # the slot is released before the future completes
    assert pool.busy == 0
    assert pool.submit(lambda: None) is not None
    pool.close()
    assert "nl2sql-test job failed" in caplog.text


def test_closed_pool_refuses() -> None:
    pool = WorkerPool(workers=1)
    pool.close()
    assert pool.submit(lambda: None) is None


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        WorkerPool(workers=0)


def test_waiting_for_idle_returns_when_the_last_job_ends() -> None:
    pool = WorkerPool(workers=1, max_waiting=1)
    gate = threading.Event()
    pool.submit(lambda: gate.wait(5))
    pool.submit(lambda: None)
    assert pool.wait_idle(0.05) is False  # a job is still held
    gate.set()
    assert pool.wait_idle(5) is True and pool.busy == 0
    pool.close()
