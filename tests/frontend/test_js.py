"""The page's pure JavaScript modules (format, sql, markdown) under ``node --test``.

No browser needed: these modules compute (numbers, tokens, text blocks) and
the DOM is built elsewhere. Without node the tests are skipped on a developer
machine and fail under CI, where a silent skip would hide a broken page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SUITES = sorted(HERE.glob("*.test.mjs"))


def node() -> str:
    found = shutil.which("node")
    if found is None:
        message = "node is not installed: the page's JavaScript tests (tests/frontend) cannot run"
        if os.environ.get("CI"):
            pytest.fail(message + " (install Node.js >= 20 on the CI machine)")
        pytest.skip(message)
    return found


@pytest.mark.parametrize("suite", SUITES, ids=lambda p: p.name)
def test_node(suite: Path) -> None:
    # A fixed locale: the page formats with the browser's, and the cases are en-US.
    env = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8", "NODE_NO_WARNINGS": "1"}
    result = subprocess.run([node(), "--test", str(suite)], cwd=HERE, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_pure_module_has_a_suite() -> None:
    tested = {p.name.removesuffix(".test.mjs") for p in SUITES}
    assert tested >= {"format", "sql", "markdown", "session"}
