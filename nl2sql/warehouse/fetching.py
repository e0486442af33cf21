"""Fetching a DuckDB result without letting its size take the worker's memory.

The row cap bounds how many rows come back, not how big they are: a query can
build one 100-million-character string (ten CONCATs of a capped REPEAT across
CTEs) and return it in each of its 101 rows, which as Python strings is ten
gigabytes, all before the result cap (``nl2sql/safety/resultcap.py``) cuts it
to what the model sees. So rows are converted one at a time, and fetching
stops, as if at the row cap, once the values fetched pass ``MAX_FETCH_BYTES``.
``fetchone`` costs no more than ``fetchmany`` (both about 1.7 s per million
rows).
"""

from __future__ import annotations

from typing import Any

import duckdb

#: Most bytes of values (text counted by characters) fetched for one query; well
#: above what a CSV export of ``NL2SQL_EXPORT_MAX_ROWS`` ordinary rows needs.
MAX_FETCH_BYTES = 64 * 1024 * 1024
_SCALAR_BYTES = 8  # numbers, dates, booleans, None: a word each, near enough


def fetch_bounded(cur: duckdb.DuckDBPyConnection, limit: int,
                  budget: int | None = None) -> tuple[list[tuple[Any, ...]], bool]:
    """Up to ``limit`` rows of ``cur``'s result, and whether fetching stopped early
    because the rows passed ``budget`` bytes (``MAX_FETCH_BYTES`` by default; the
    row that passed it is dropped).

    >>> con = duckdb.connect()
    >>> fetch_bounded(con.execute("SELECT repeat('x', 10) FROM range(5)"), 3, budget=25)
    ([('xxxxxxxxxx',), ('xxxxxxxxxx',)], True)
    """
    budget = MAX_FETCH_BYTES if budget is None else budget
    rows: list[tuple[Any, ...]] = []
    used = 0
    while len(rows) < limit:
        row = cur.fetchone()
        if row is None:
            return rows, False
        used += sum(value_bytes(v) for v in row)
        if used > budget:
            return rows, True
        rows.append(row)
    return rows, False


def value_bytes(value: Any) -> int:
    """Rough size of one fetched value: characters of text, bytes of blobs, recursively.

    >>> value_bytes(["ab", {"k": "xyz"}, None])
    14
    """
    if isinstance(value, str | bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, dict):
        return sum(value_bytes(k) + value_bytes(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(value_bytes(v) for v in value)
    return _SCALAR_BYTES
