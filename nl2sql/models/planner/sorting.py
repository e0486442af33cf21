"""Listings sorted by a column: "list products sorted by retail price", "list the Jeans
products ordered by cost descending".

A listing of a table's rows (shown by their labels) with "sorted by / ordered by / in
descending order of <column>" is ordered by that column, which is shown after the labels.
Only a column of the listed table itself is taken: one reached through a key could
repeat the rows, and is left to the rest of the planner (which declines it).
"""

from __future__ import annotations

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
