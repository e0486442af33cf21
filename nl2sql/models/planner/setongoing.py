"""Ongoing rows among the related rows a set condition counts: "departments with more than
50 current employees", "owners with no active dogs" count only the related rows whose end
date is empty ("former": set), as ``ongoing`` does for the subject's own rows. The word
must come right before a word naming the related table, and that table must have its one
end date column (``ongoing.end_column``); otherwise the word stays unaccounted and the
condition is not read (the audit then declines naming it).
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Table
from nl2sql.models.planner.ongoing import FORMER, ONGOING, end_column
from nl2sql.models.planner.plan import Filter
from nl2sql.models.planner.words import Tok


def ongoing_related(words: list[Tok], naming: set[int], named: Table
                    ) -> tuple[set[int], tuple[Filter, ...]]:
    """The token indexes among ``words`` read as "current"/"former" rows of ``named``
    (the next token, at an index in ``naming``, names it), and the end-date filters they
    ask for."""
    col = end_column(named)
    if col is None:
        return set(), ()
    read: set[int] = set()
    ops: set[str] = set()
    for t in words:
        if t.low in ONGOING | FORMER and t.i + 1 in naming:
            read.add(t.i)
            ops.add("IS NULL" if t.low in ONGOING else "IS NOT NULL")
    if len(ops) != 1:  # none, or "current and former": no one filter
        return set(), ()
    return read, (Filter(col, ops.pop(), ()),)
