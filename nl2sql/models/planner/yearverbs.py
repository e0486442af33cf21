"""The verb of a year column, said before the year: "museums that opened before 2009"
filters on Open_Year, "teams founded after 1990" on year_founded.

A year filter on a column named for an event and "year" reads the year the event
happened; the question says the event with a verb ("opened", "were open", "founded")
right before the year. That word is what chose the column, so it is accounted for;
elsewhere in the question it still has to be read on its own.
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.cues import is_year
from nl2sql.models.planner.words import Tok, root

NEAR = 3  # words between the verb and the year: "opened after 2013", "was opened in 2010"


def year_verbs(toks: list[Tok], col: Column) -> set[int]:
    """Indices of the words naming ``col``'s event right before a year."""
    event = {root(w) for w in col.words if w != "year"}
    if not event or "year" not in col.words:
        return set()
    out: set[int] = set()
    for y in (t.i for t in toks if is_year(t)):
        out |= {t.i for t in toks[max(0, y - NEAR - 1):y]
                if not t.quoted and t.number is None and root(t.low) in event}
    return out
