"""The dev loop's entry points: what `make test` and `.ci/run` do with an empty run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.skipif("NL2SQL_INNER_MAKE_TEST" in os.environ, reason="already inside make test")
def test_make_test_fails_when_pytest_collects_nothing(tmp_path: Path) -> None:
    # -o: take install and test-deps as done; BIN: this interpreter's pytest.
    # The marker variable stops recursion should PYTEST_ARGS ever be ignored.
    proc = subprocess.run(
        ["make", "-s", "-o", "install", "-o", "test-deps", "test",
         f"BIN={Path(sys.executable).parent}", f"PYTEST_ARGS={tmp_path} -p no:cacheprovider"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
        env={**os.environ, "NL2SQL_INNER_MAKE_TEST": "1"},
    )
    assert proc.returncode != 0, proc.stdout
    assert "collected no tests" in proc.stderr


def test_ci_runs_make_test() -> None:
    script = (REPO / ".ci" / "run").read_text()
    commands = [line.strip() for line in script.splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in commands
    assert commands[-1] == "make test"
