"""The bounded pool that runs questions off the request thread: Slack's slash
commands after the 3-second acknowledgement, the web page's streamed questions.

A fixed number of threads run questions; a fixed number more may wait in line.
Past that the command is refused at once ("busy, try again") rather than queued
for minutes: Slack's ``response_url`` only lives thirty minutes, and a reply that
arrives long after the question helps nobody.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)


class WorkerPool:
    """``ThreadPoolExecutor`` with a cap on running plus waiting jobs."""

    def __init__(self, workers: int = 4, max_waiting: int = 16, *,
                 name: str = "nl2sql-worker") -> None:
        if workers < 1 or max_waiting < 0:
            raise ValueError("workers must be >= 1 and max_waiting >= 0")
        self.name = name
        self.workers = workers
        self.capacity = workers + max_waiting
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)  # notified as each job ends
        self._pending = 0
        self._executor = ThreadPoolExecutor(max_workers=workers,
                                            thread_name_prefix=name)
        self._closed = False

    def submit(self, fn: Callable[[], None]) -> Future[None] | None:
        """Queue ``fn``; None when the pool is full or closed (the caller says so)."""
        with self._lock:
            if self._closed or self._pending >= self.capacity:
                return None
            self._pending += 1
        try:
            return self._executor.submit(self._run, fn)
        except RuntimeError:  # shut down between the check and the submit
            self._release()
            return None

    def _release(self) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Exception:  # a job's failure must not kill the thread or be silent
            log.exception("%s job failed", self.name)
        finally:
            self._release()

    @property
    def busy(self) -> int:
        """Jobs running or waiting."""
        with self._lock:
            return self._pending

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait until no job runs or waits; False if ``timeout_s`` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout_s)

    def close(self, wait: bool = True) -> None:
        """Stop taking jobs; with ``wait``, let the running and queued ones finish."""
        self._closed = True
        self._executor.shutdown(wait=wait, cancel_futures=not wait)
