"""The result cap: how many bytes of rows reach the model, the user and the state.

The row cap (``rowcap.py``) bounds rows, not bytes: one row of long strings,
or a few rows of huge arrays, can still be megabytes, and every byte is sent
to the model, returned to the client and stored with the conversation. So the
rows a query returns are cut in two ways, and ``truncated_reason`` says which:

- ``cell``: a text value longer than ``max_cell_bytes`` (UTF-8) is cut, ending
  in "…"; a nested value (ARRAY, STRUCT, JSON) whose JSON is longer becomes
  its JSON text, cut the same way.
- ``bytes``: rows stop before the JSON of the rows so far would pass
  ``max_bytes``.

``rows`` (the row cap) is kept as the reason when it cut rows and nothing else did.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from nl2sql.warehouse.base import QueryResult

ELLIPSIS = "…"


def cap_result(result: QueryResult, *, max_bytes: int, max_cell_bytes: int) -> QueryResult:
    """``result`` with rows cut to the byte limits, and the reason recorded.

    >>> r = QueryResult(["s"], [["x" * 10], ["y"]], truncated=False, seconds=0.0)
    >>> capped = cap_result(r, max_bytes=1000, max_cell_bytes=6)
    >>> capped.rows, capped.truncated, capped.truncated_reason
    ([['xxx…'], ['y']], True, 'cell')
    >>> capped = cap_result(r, max_bytes=20, max_cell_bytes=100)
    >>> capped.rows, capped.truncated_reason, capped.total_rows
    ([['xxxxxxxxxx']], 'bytes', None)
    """
    reasons: list[str] = []
    rows: list[list[Any]] = []
    used = 2  # the brackets of the rows list
    for row in result.rows:
        cells = [_cap_cell(v, max_cell_bytes, reasons) for v in row]
        size = len(json.dumps(cells, ensure_ascii=False, default=str).encode()) + 2  # ", "
        if used + size > max_bytes:
            reasons.append("bytes")
            break
        used += size
        rows.append(cells)
    if not reasons:
        return result if not result.truncated or result.truncated_reason else replace(
            result, truncated_reason="rows")
    reason = "bytes" if "bytes" in reasons else "cell"
    total = result.total_rows if reason == "cell" else None
    return replace(result, rows=rows, truncated=True, truncated_reason=reason, total_rows=total)


def _cap_cell(value: Any, limit: int, reasons: list[str]) -> Any:
    if isinstance(value, str):
        if len(value) <= limit // 4 or len(value.encode()) <= limit:  # the cheap test first
            return value
        reasons.append("cell")
        return _cut(value, limit)
    if isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
        if len(text.encode()) <= limit:
            return value
        reasons.append("cell")
        return _cut(text, limit)
    return value


def _cut(text: str, limit: int) -> str:
    budget = max(0, limit - len(ELLIPSIS.encode()))
    return text.encode()[:budget].decode("utf-8", "ignore") + ELLIPSIS
