"""Driving concurrent callers and accounting for them, for bench/web.py.

``drive`` runs callers in threads until the questions run out and records each
answer's latency; ``Run`` holds one such pass (mergeable across processes:
its start and end are monotonic clock readings, which every process shares on
Linux); the CPU helpers read this process's and a process tree's CPU time.
"""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Ask = Callable[[int, str], tuple[bool, str | None]]  # (client, question) -> (answered, sql)
Take = Callable[[], str | None]  # the next question, None when all are asked


@dataclass
class Run:
    """One side's timed pass: start and end (monotonic, comparable across processes),
    per-question latencies, answers and SQL."""

    start: float = 0.0
    end: float = 0.0
    latencies: list[float] = field(default_factory=list)
    answered: int = 0
    sql: dict[str, str | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cpu: float = 0.0  # CPU seconds of the answering processes (all their threads)
    client_cpu: float = 0.0  # CPU seconds of the HTTP clients (this process)

    @property
    def rate(self) -> float:
        return len(self.latencies) / (self.end - self.start) if self.end > self.start else 0.0

    @classmethod
    def merge(cls, parts: list[Run]) -> Run:
        run = cls(min(p.start for p in parts), max(p.end for p in parts))
        for p in parts:
            run.latencies += p.latencies
            run.answered += p.answered
            run.errors += p.errors
            run.cpu += p.cpu
            run.sql = {**p.sql, **run.sql}
        return run


def drive(ask: Ask, clients: int, take: Take, *, first_client: int = 0,
          ready: Callable[[], object] = lambda: None) -> Run:
    """Ask questions from ``clients`` threads at once until ``take`` runs out; each
    thread takes the next question as soon as it has its answer. ``ready`` is
    waited on once the threads are up (a barrier shared with other processes)."""
    run = Run()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        start.wait()
        while (question := take()) is not None:
            t0 = time.perf_counter()
            try:
                answered, sql = ask(index, question)
            except Exception as e:  # noqa: BLE001 - reported, and the run fails
                answered, sql = False, None
                with lock:
                    run.errors.append(f"{question}: {type(e).__name__}: {e}")
            elapsed = time.perf_counter() - t0
            with lock:
                run.latencies.append(elapsed)
                run.answered += answered
                run.sql.setdefault(question, sql)

    threads = [threading.Thread(target=client, args=(first_client + i,), daemon=True)
               for i in range(clients)]
    for t in threads:
        t.start()
    ready()
    start.wait()
    run.start = time.monotonic()
    for t in threads:
        t.join()
    run.end = time.monotonic()
    return run


def counting(questions: list[str], count: int) -> Take:
    """``count`` questions, cycling through ``questions``, to threads of one process."""
    numbers, lock = iter(range(count)), threading.Lock()

    def take() -> str | None:
        with lock:
            n = next(numbers, None)
        return None if n is None else questions[n % len(questions)]
    return take


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def tree_cpu(pid: int) -> float:
    """CPU seconds of process ``pid`` and its children (gunicorn's master and
    workers), from /proc; 0 where there is no /proc."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(runs: list[Run]) -> tuple[float, float, float]:
    """Median rate over rounds; p50 and p95 latency over every question asked."""
    latencies = [x for r in runs for x in r.latencies]
    return (statistics.median(r.rate for r in runs), percentile(latencies, 50),
            percentile(latencies, 95))
