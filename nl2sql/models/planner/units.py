"""Units written at the end of a column's name (``duration_minutes``, ``UsageKwh``,
``budget_musd``): the name's words leave them out (``words.name_words``), so "the average
duration" finds ``duration_minutes``; a question that names the same unit after "in"
("average duration in minutes", "total usage in kWh") says nothing the column does not.

A unit the question names that the column does not carry ("in hours" of
``duration_minutes``) is left unaccounted, so the question is declined rather than
answered in the wrong unit.

>>> unit_of("duration_minutes"), unit_of("WeightKg"), unit_of("total_minutes"), unit_of("dur")
('minute', 'kg', None, None)
>>> unit_of("dur_min"), unit_of("wait_time_secs"), unit_of("temp_min"), unit_of("ot_hrs")
('minute', 'second', None, None)
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Column, Table
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.words import (
    TIME_UNIT_SHORTS,
    UNIT_SUFFIXES,
    Tok,
    name_words,
    split_name,
    stem,
)

_UNIT_STEMS = frozenset(stem(u) for u in UNIT_SUFFIXES)


def unit_of(name: str) -> str | None:
    """The unit a column's name ends with, as a stemmed word, where its words leave it out."""
    parts = split_name(name)
    if len(parts) < 2:
        return None
    last = stem(parts[-1])
    words = name_words(name)
    if last in TIME_UNIT_SHORTS and words and words[-1] != last:
        return TIME_UNIT_SHORTS[last]  # dur_min: minutes, where the name's words drop it
    if stem(parts[-1].lower()) not in _UNIT_STEMS:
        return None  # customer_id, created_at: what a name ends with, not a unit
    return last if words and words[-1] != last and last not in words else None


def unit_column(words: tuple[str, ...], scope: list[Table],
                subject: Table | None) -> tuple[tuple[object, ...], Table, Column] | None:
    """``total kWh`` for ``UsageKwh``: the unit alone names the one numeric column (the
    subject's first) that carries it."""
    if len(words) != 1:
        return None
    found = [(t, c) for t in scope for c in t.columns or []
             if c.numeric and not c.is_key and unit_of(c.name) == words[0]]
    own = [(t, c) for t, c in found if t is subject]
    pick = own or found
    if len(pick) != 1:
        return None
    return (int(pick[0][0] is subject),), pick[0][0], pick[0][1]


def _columns(plan: Plan) -> list[Column]:
    cols = [m.column for m in plan.measures if m.column is not None]
    cols += [f.column for f in plan.filters] + list(plan.rows) + [g.column for g in plan.groups]
    return cols + ([plan.order_column] if plan.order_column is not None else [])


def said_unit(t: Tok, toks: list[Tok], plan: Plan) -> bool:
    """``t`` is the unit after "in" ("in minutes") of a column the query reads."""
    k = next((k for k, x in enumerate(toks) if x is t), 0)
    if k == 0 or toks[k - 1].low != "in":
        return False
    return any(unit_of(c.name) in (t.stem, t.low) for c in _columns(plan))
