"""gunicorn hooks for `nl2sql serve`: prometheus_client's multiprocess mode.

Each worker writes its metric values to files in ``PROMETHEUS_MULTIPROC_DIR``;
``/metrics`` sums them, so a scrape sees the service-wide totals whichever
worker answers it. The master makes a fresh directory when none is set (or
empties the one given: old files would add a previous run's counts), and
marks each worker dead when it exits so its live-only values are dropped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from nl2sql.metrics import MULTIPROC_ENV

_made: list[str] = []


def on_starting(server: Any) -> None:
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
    else:
        made = tempfile.mkdtemp(prefix="nl2sql-metrics-")
        _made.append(made)
        os.environ[MULTIPROC_ENV] = made


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    for made in _made:
        shutil.rmtree(made, ignore_errors=True)
