"""Where a construct sits in the source text, for error messages.

sqlglot records character offsets on identifiers, literals and function names
(``node.meta["start"]``) but not on statement or clause nodes, so a node's
position is the earliest offset recorded anywhere beneath it. The parse step
stores the exact start of the statement on the root node.
"""

from __future__ import annotations

import re

from sqlglot import exp

# Whitespace, empty statements and the three GoogleSQL comment forms, skipped
# to find where a statement really starts.
_SPACE_AND_COMMENTS = re.compile(r"(?:\s+|;|--[^\n]*|#[^\n]*|/\*.*?\*/)*", re.DOTALL)


def position(node: exp.Expr) -> int | None:
    """Earliest known character offset of ``node`` or anything inside it.

    >>> import sqlglot
    >>> position(sqlglot.parse_one("SELECT a FROM d.t", read="bigquery").find(exp.Table))
    14
    """
    starts = [n.meta["start"] for n in node.walk() if "start" in n.meta]
    return min(starts) if starts else None


def statement_start(sql: str, offset: int = 0) -> int:
    """Offset of the first character after whitespace, comments and ``;`` from ``offset``.

    >>> statement_start("  -- note\\n  DELETE FROM t")
    12
    """
    match = _SPACE_AND_COMMENTS.match(sql, offset)
    return match.end() if match else offset


def at(pos: int | None) -> str:
    """`` at position N`` or nothing, to end a message."""
    return "" if pos is None else f" at position {pos}"


def snippet(node: exp.Expr, limit: int = 60) -> str:
    """Short GoogleSQL rendering of ``node`` for messages; never raises."""
    try:
        text = node.sql(dialect="bigquery", comments=False)
    except Exception:  # a message must not fail because rendering did
        text = type(node).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
