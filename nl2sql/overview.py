"""What the page offers before anyone asks: the datasets and example questions.

Examples are drawn from the warehouse's own metadata (tables, their time,
category and measure columns) so they fit whatever warehouse is configured.
Metadata changes rarely, so the result is cached per process for ``ttl_s``.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from nl2sql.runtime import Runtime
from nl2sql.tools import Toolbox

MAX_EXAMPLES = 6
MAX_TABLES_INSPECTED = 6
TIME_TYPES = {"TIMESTAMP", "DATETIME", "DATE"}
MEASURE_TYPES = {"FLOAT64", "NUMERIC", "BIGNUMERIC"}
_MEASURE_NAME = re.compile(r"price|amount|revenue|sales?|cost|total|value", re.IGNORECASE)
_ID_NAME = re.compile(r"(^|_)id$", re.IGNORECASE)


def words(name: str) -> str:
    return name.replace("_", " ").strip()


def examples_for(tables: list[dict[str, Any]]) -> list[str]:
    """Questions a person might ask of these tables (``get_table`` dicts, biggest first)."""
    trends: list[tuple[str, str]] = []
    breakdowns: list[tuple[str, str]] = []
    measures: list[tuple[str, str]] = []
    counts: list[tuple[str, str]] = []
    for t in tables:
        table = t["table_id"]
        name = words(table.split(".")[-1])
        cols = t.get("columns") or []
        times = [c["name"] for c in cols if c["type"] in TIME_TYPES]
        cats = [c["name"] for c in cols if c.get("examples") and not _ID_NAME.search(c["name"])]
        nums = [c["name"] for c in cols
                if c["type"] in MEASURE_TYPES and _MEASURE_NAME.search(c["name"])]
        counts.append((table, f"How many {name} are there?"))
        if times:
            trends.append((table, f"How many {name} were created each month?"))
        if cats:
            breakdowns.append((table, f"How many {name} are there by {words(cats[0])}?"))
        if nums and cats:
            # Prices are compared on average; sales and amounts add up.
            how = "average" if re.search("price|cost", nums[-1], re.IGNORECASE) else "total"
            measures.append((table, f"What is the {how} {words(nums[-1])} by {words(cats[-1])}?"))
    # Round-robin over the kinds, preferring a table not used yet, so the first
    # few examples show both the range of answers and the range of tables.
    picked: list[str] = []
    used: set[str] = set()
    while len(picked) < MAX_EXAMPLES:
        added = False
        for kind in (trends, breakdowns, measures, counts):
            left = [(t, q) for t, q in kind if q not in picked]
            if not left or len(picked) >= MAX_EXAMPLES:
                continue
            table, question = next(((t, q) for t, q in left if t not in used), left[0])
            picked.append(question)
            used.add(table)
            added = True
        if not added:
            break
    return picked


class Overview:
    def __init__(self, runtime: Runtime, ttl_s: float = 600.0) -> None:
        self.runtime = runtime
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._cached: tuple[float, dict[str, Any]] | None = None

    def get(self) -> dict[str, Any]:
        """``{"datasets": [...], "examples": [...]}`` for the allowed datasets."""
        with self._lock:
            if self._cached and time.monotonic() - self._cached[0] < self.ttl_s:
                return self._cached[1]
            value = self._load()
            self._cached = (time.monotonic(), value)
            return value

    def _load(self) -> dict[str, Any]:
        tools = Toolbox(self.runtime.warehouse, self.runtime.settings)
        datasets = []
        inspected: list[dict[str, Any]] = []
        for d in tools.list_datasets()["datasets"]:
            tables = tools.list_tables(d["dataset_id"])["tables"]
            datasets.append({**d, "tables": tables})
            biggest = sorted(tables, key=lambda t: (-(t.get("row_count") or 0), t["table_id"]))
            for t in biggest[: max(MAX_TABLES_INSPECTED - len(inspected), 0)]:
                inspected.append(tools.get_table(t["table_id"]))
        return {"datasets": datasets, "examples": examples_for(inspected)}
