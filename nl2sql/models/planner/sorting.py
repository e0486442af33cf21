"""Listings sorted by a column: "list products sorted by retail price", "list the Jeans
products ordered by cost descending".

A listing of a table's rows (shown by their labels) with "sorted by / ordered by / in
descending order of <column>" is ordered by that column, which is shown after the labels.
Only a column of the listed table itself is taken: one reached through a key could
repeat the rows, and is left to the rest of the planner (which declines it).

"..., highest first" / "lowest first" at the end of a question orders a grouped answer by
its one measure (or a sorted listing) in that direction (``read`` / ``apply``); "first"
was otherwise read as first_name and "lowest" as a minimum of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nl2sql.models.planner.listing import asks_order, descending, order_phrases
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.parse import Parse
from nl2sql.models.planner.plan import Plan


def sort_listing(plan: Plan, parsed: Parse, readings: list[Reading]) -> None:
    """Order a listing without an order by the one own column its sort phrase names."""
    if (not plan.rows or plan.order_column is not None or plan.measures or plan.groups
            or not asks_order(parsed.toks)):
        return
    phrases = order_phrases(parsed.toks, readings)
    cols = [p.column for r in phrases for p in r.pieces if p.column is not None]
    if (len(phrases) != 1 or len(cols) != 1 or phrases[0].unresolved
            or len(phrases[0].pieces) != 1 or cols[0].table != plan.subject.id):
        return
    col = cols[0]
    if all(c is not col for c in plan.rows):
        plan.rows.append(col)
    plan.order_column, plan.desc, plan.limit = col, descending(parsed.toks), None
    plan.explicit_order = True


# "..., highest first", "lowest ones first": the direction of the answer's order, said last
_FIRST = re.compile(r",?\s*(?:with\s+)?(?:the\s+)?(?P<word>highest|largest|biggest|greatest|"
                    r"most|top|lowest|smallest|least|fewest)\s+(?:ones?\s+|values?\s+)?first"
                    r"\s*[.?!]?\s*$", re.I)
_HIGH = frozenset({"highest", "largest", "biggest", "greatest", "most", "top"})


@dataclass(frozen=True)
class Direction:
    rest: str  # the question without the words
    desc: bool
    said: str


def read(question: str) -> Direction | None:
    """``revenue by category, highest first``: the order asked for, taken out."""
    m = _FIRST.search(question)
    if m is None or not question[:m.start()].strip():
        return None
    return Direction(question[:m.start()].rstrip(" ,"), m.group("word").lower() in _HIGH,
                     m.group(0).strip(" ,.?!"))


def apply(plan: Plan, found: Direction) -> str | None:
    """Order a grouped answer by its one measure, or a sorted listing, in the direction
    said; why not, when there is no single value to order by."""
    if plan.groups and len(plan.measures) == 1 and not plan.rows:
        if plan.limit is not None and plan.desc is not None and plan.desc != found.desc:
            return f"'{found.said}' contradicts the ranking the question asks for"
        plan.desc, plan.explicit_order = found.desc, True
        return None
    if plan.rows and plan.order_column is not None and plan.limit is None:
        plan.desc, plan.explicit_order = found.desc, True
        return None
    return f"I cannot tell which value '{found.said}' orders by"
