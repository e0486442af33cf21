"""A compact catalog for the first request: the datasets the service may read,
their tables with one-line descriptions and the names of the metrics defined on
each (``get_table`` gives the definitions), and the datasets' notes.

With it the model can go straight to ``get_table`` instead of spending two
round trips on ``list_datasets`` and ``list_tables``. It is built through the
same ``Toolbox`` functions (so the allowlist and dataset context apply), bounded
to ``max_chars`` (what does not fit is named by count, to be listed with
``list_tables``), and cached per warehouse and allowlist for ``TTL_S`` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from typing import Any

from nl2sql.errors import Nl2SqlError
from nl2sql.tools import Toolbox
from nl2sql.warehouse.base import Warehouse

log = logging.getLogger(__name__)

MAX_CHARS = 3_000  # ≈ 750 tokens, sent with every request of a question
TTL_S = 600.0
LINE_CHARS = 48  # a description is cut to this many characters
NOTES_CHARS = 800
SYNONYMS = 2  # a metric's synonyms shown, besides its name

_cache: weakref.WeakKeyDictionary[Warehouse, dict[Any, tuple[float, str]]] = (
    weakref.WeakKeyDictionary())
_lock = threading.Lock()


def catalog(toolbox: Toolbox, max_chars: int = MAX_CHARS) -> str:
    """The catalog text for ``toolbox``'s warehouse and allowlist ("" when there is
    nothing to show, or the warehouse cannot be listed right now)."""
    key = (toolbox.settings.allowed_datasets, toolbox.settings.datasets_dir, max_chars)
    with _lock:
        hit = _cache.get(toolbox.warehouse, {}).get(key)
    if hit is not None and time.monotonic() - hit[0] < TTL_S:
        return hit[1]
    try:
        text = build(toolbox, max_chars)
    except Exception as e:  # noqa: BLE001 - the model can still explore with the functions
        log.warning("no catalog for the first request: %s",
                    e.message if isinstance(e, Nl2SqlError) else type(e).__name__)
        return ""
    with _lock:
        _cache.setdefault(toolbox.warehouse, {})[key] = (time.monotonic(), text)
    return text


def build(toolbox: Toolbox, max_chars: int = MAX_CHARS) -> str:
    lines: list[str] = []
    size = 0
    datasets = toolbox.list_datasets()["datasets"]
    for n, ds in enumerate(datasets):
        listing = toolbox.list_tables(ds["dataset_id"])
        head = f"- dataset {ds['dataset_id']}: {_line(ds.get('description'))}".rstrip(": ")
        notes = _notes(listing.get("notes"))
        metrics = _metrics(listing)
        block = [head] + ([f"  Notes: {notes}"] if notes else [])
        block.append("  Tables (metrics defined by get_table; entities, values, joins by "
                     "list_tables):" if metrics else "  Tables:")
        tables = listing["tables"]
        for i, t in enumerate(tables):
            # under its dataset's line, a table goes by its own name
            name = t["table_id"].removeprefix(ds["dataset_id"] + ".")
            line = f"  - {name}: {_line(t.get('description'))}".rstrip(": ")
            if metrics.get(name):
                line += f" Metrics: {', '.join(metrics[name])}."
            if size + sum(len(b) + 1 for b in block) + len(line) + 80 > max_chars:
                block.append(f"  - … {len(tables) - i} more tables: call list_tables("
                             f"'{ds['dataset_id']}')")
                break
            block.append(line)
        cost = sum(len(b) + 1 for b in block)
        if size + cost > max_chars:
            rest = [d["dataset_id"] for d in datasets[n:]]
            lines.append(f"- … {len(rest)} more datasets: {', '.join(rest)[:200]}")
            break
        lines.extend(block)
        size += cost
    return "\n".join(lines)


def _metrics(listing: dict[str, Any]) -> dict[str, list[str]]:
    """The semantic layer's metrics by table (its own name): each metric's name and
    first synonyms, under every table it reads. The definitions are not repeated here,
    with every request: ``get_table`` of the table carries them, and list_tables the
    entities, dimension values and joins."""
    by_table: dict[str, list[str]] = {}
    for m in listing.get("metrics") or []:
        also = ", ".join((m.get("synonyms") or [])[:SYNONYMS])
        name = f"{m['name']} ({also})" if also else m["name"]
        tables = m.get("tables") if m.get("sql") else [m.get("table", "")]
        for t in tables or []:
            by_table.setdefault(str(t).rpartition(".")[2], []).append(name)
    return by_table


def _line(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= LINE_CHARS else text[:LINE_CHARS - 1].rstrip() + "…"


def _notes(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= NOTES_CHARS else text[:NOTES_CHARS - 1].rstrip() + "…"
