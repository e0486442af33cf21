"""bench/web.py runs end to end: gunicorn and the in-process sides answer the same
questions, and it prints each side's rate and the ratios (no timing is judged)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SIDES = ("in-process agent", "in-process service", "http (gunicorn)")


@pytest.mark.slow
def test_web_bench_prints_both_rates_and_the_ratio(demo_db: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "web.py"), "--db", str(demo_db),
         "--clients", "3", "--questions", "6", "--rounds", "1", "--workers", "1",
         "--threads", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=240)
    # Exit 0 also says every answer came back answered, with the same SQL on each side.
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for side in SIDES:
        row = re.search(rf"^{re.escape(side)} +(\d+\.\d) .* (\d+)/(\d+)$", proc.stdout, re.M)
        assert row, proc.stdout
        assert float(row[1]) > 0
        assert row[2] == row[3] == "6"  # all six questions answered
    for base in SIDES[:2]:
        assert re.search(rf"^http / {base}: answers/s ratio \d+\.\d\d ", proc.stdout, re.M), \
            proc.stdout
