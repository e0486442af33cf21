"""DuckDB's own reading of a query, as JSON, and its errors with nothing of the catalog.

The engine check (``nl2sql/safety/engine.py``) judges the trees DuckDB's
``json_serialize_sql`` and ``json_serialize_plan`` return.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import duckdb


def serialized(con: duckdb.DuckDBPyConnection, function: str, sql: str) -> dict[str, Any]:
    row = con.execute(f"SELECT {function}(?)", [sql]).fetchone()
    tree = json.loads(row[0]) if row and row[0] else {"error": True}
    if tree.get("error"):
        message = str(tree.get("error_message") or "DuckDB could not read it")
        raise EngineRejected(scrub(message))
    return tree


class EngineRejected(Exception):
    """DuckDB itself could not parse or bind the query (a query error, not a refusal)."""


# DuckDB suggests names from the whole catalog ("Did you mean "hr.salaries"?",
# "Candidate tables: ..."): those would leak other datasets' names.
_SUGGESTION = re.compile(r"\s*(Did you mean|Candidate (tables|bindings|functions)|"
                         r"Or did you mean)\b.*", re.IGNORECASE | re.DOTALL)


def scrub(message: str) -> str:
    """A DuckDB error message without its suggestions of other catalog names.

    >>> scrub('Catalog Error: Table with name salaries does not exist! Did you mean "hr.s"?')
    'Catalog Error: Table with name salaries does not exist!'
    """
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return _SUGGESTION.sub("", first).strip() or "unknown error"


def dicts(node: Any) -> Iterator[dict[str, Any]]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
