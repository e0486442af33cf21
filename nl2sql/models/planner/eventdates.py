"""Dates of the event a question names, not of its subject.

``How many electric bikes had a battery replacement in 2024?`` counts bikes, but 2024 is
when the replacement happened: the maintenance rows' date, not the bike's in-service
date. When the plan reaches rows that belong to the subject (a one-to-many join: its
visits, repairs, orders) and those rows have a date of their own, a date said right after
the words that named those rows is theirs. A date said next to the subject's own words
("female patients in 2024 with a checkup") could be either's: declined. A date column the
question names, or the subject's creation ("registered in 2023"), is used as before.
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.catalog import Column, Table, time_column
from nl2sql.models.planner.creation import creation_column, says_creation
from nl2sql.models.planner.cues import is_year
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.words import MONTHS

_Builder = Any  # build._Builder; not imported, so the modules form no cycle
_RELATIVE = frozenset({"last", "past", "previous", "this", "current", "today", "yesterday"})


def event_time(b: _Builder) -> Column | str | None:
    """The date column of the event rows the question's dates are about, None to date the
    plan as before, or why the dates could be either's (the planner declines)."""
    if b.time_hint is not None:
        return None  # the question names the date it means
    events = list({j.target.id: j.target for j in b.plan.joins
                   if j.many and time_column(j.target) is not None}.values())
    if not events:
        return None
    toks = b.parsed.toks
    dated = [t.i for t in toks if is_year(t) or t.low in MONTHS or t.low in _RELATIVE]
    if not dated:
        return None
    said = [k for k in range(dated[0] - 1, -1, -1) if toks[k].low not in ("in", "on", "during")]
    if said and says_creation(toks, said[0], b.s):
        return creation_column(b.s)  # "patients registered in 2023": their own date
    before = [r for r in b.readings if r.pieces and r.phrase.toks[-1].i < dated[0]]
    last = before[-1] if before else None
    own = time_column(b.s)
    if len(events) == 1 and last is not None and not _of_subject(last, b.s):
        col = time_column(events[0])
        assert col is not None
        return col
    if own is None and len(events) == 1:
        return None  # the subject has no date: the event's, as before
    return (f"I could not tell whether the dates are about {b.s.name} or their "
            f"{' or '.join(t.name for t in events)}")


def _of_subject(r: Reading, subject: Table) -> bool:
    """A phrase naming the subject or one of its own columns or values."""
    return any(p.table is subject or (p.column is not None and p.column.table == subject.id)
               for p in r.pieces)
