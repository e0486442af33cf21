"""docs/safety.md stays true to the code, and every docstring example runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import nl2sql.safety
from nl2sql.safety import (
    CHECKS,
    DENIED_FUNCTIONS,
    DENIED_NAMESPACES,
    DENIED_PREFIXES,
    MAX_SQL_CHARS,
    TEXT_CHECKS,
)
from nl2sql.safety.names import ENGINE_SCHEMAS
from nl2sql.safety.tables import DATASET_VIEWS, ENGINE_VIEW_PREFIXES, FILE_SUFFIXES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "safety.md").read_text(encoding="utf-8")
MODULES = sorted(m.name for m in pkgutil.iter_modules(nl2sql.safety.__path__,
                                                      prefix="nl2sql.safety."))


def test_every_check_is_documented() -> None:
    for check in (*TEXT_CHECKS, *CHECKS):
        assert f"`{check.__name__.removeprefix('check_')}`" in DOC
        assert f"{check.__module__.rsplit('.', 1)[1]}.{check.__name__}" in DOC
    for name in ("`render`", "`round_trip`", str(MAX_SQL_CHARS)):
        assert name in DOC


def test_every_refused_function_prefix_and_namespace_is_in_a_reason_table() -> None:
    rows = "\n".join(line for line in DOC.splitlines() if line.startswith("| `"))
    for name in (*DENIED_FUNCTIONS, *DENIED_PREFIXES):
        assert f"`{name}`" in rows, name
    for namespace in DENIED_NAMESPACES:
        assert f"| `{namespace}` |" in rows, namespace


def test_table_rules_are_documented() -> None:
    for view in DATASET_VIEWS:
        assert view in DOC, view
    for name in (*ENGINE_SCHEMAS, *ENGINE_VIEW_PREFIXES):
        assert f"`{name}`" in DOC, name
    listed = re.search(r"file extension \(([^)]*)\)", DOC)
    assert listed is not None
    assert {s.strip() for s in listed.group(1).split(",")} == FILE_SUFFIXES


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
