"""Ties at a ranking's cut-off: "the student with the most likes" when three students
have the most.

``ORDER BY … LIMIT n`` keeps n rows even when the n-th shares its value with rows after
it; the rows kept are then chosen by the tie-breaker (a label's spelling), not by the
question, and an analyst reading "Alexis has the most likes" is misled. So once the
ranked query has returned exactly n rows, the planner runs the same query again with a
few more rows and the value it is ordered by (``tie_probe``); when the rows across the
cut-off share that value, it declines and says who ties (``tie_text``), suggesting a
larger top that shows them all.
"""

from __future__ import annotations

from typing import Any

import sqlglot
from sqlglot import exp

from nl2sql.models.planner.phrasing import fmt
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.sqlexpr import DIALECT

TIE_ID = "tiecheck"  # call id of the probe (see rounds.py for the others)
RANK_KEY = "nl2sql_rank_key"
EXTRA_ROWS = 10  # rows past the cut-off the probe reads: enough to name who ties
SHOWN = 6


def tie_probe(plan: Plan, sql: str) -> str | None:
    """The ranked query with ``EXTRA_ROWS`` more rows and its first ORDER BY value as a
    last column, or None when the plan has no cut-off to check."""
    if plan.limit is None or plan.distinct or plan.periods is not None or plan.value_only:
        return None
    try:
        tree = sqlglot.parse_one(sql, read=DIALECT)
    except sqlglot.errors.ParseError:
        return None
    order = tree.args.get("order")
    if not isinstance(tree, exp.Select) or tree.args.get("with") or order is None:
        return None
    first = order.expressions[0].this.copy()
    # ORDER BY teacher_count: a select alias, which the select list cannot name again
    aliases = {s.alias: s.this for s in tree.selects if isinstance(s, exp.Alias)}
    if isinstance(first, exp.Column) and not first.table and first.name in aliases:
        first = aliases[first.name].copy()
    probe = tree.select(exp.alias_(first, RANK_KEY), copy=True)
    probe = probe.limit(int(plan.limit) + EXTRA_ROWS, copy=False)
    return probe.sql(dialect=DIALECT, pretty=True)


def tied(plan: Plan, columns: list[str], rows: list[list[Any]]) -> list[list[Any]] | None:
    """The probe's rows that share the cut-off row's value, when rows past the cut-off do."""
    if plan.limit is None or RANK_KEY not in columns or len(rows) <= plan.limit:
        return None
    at = columns.index(RANK_KEY)
    value = rows[plan.limit - 1][at]
    if value is None or rows[plan.limit][at] != value:
        return None
    return [r for r in rows if r[at] == value]


def tie_text(plan: Plan, columns: list[str], rows: list[list[Any]],
             same: list[list[Any]]) -> str:
    """Why the planner declines, with the rows that tie and a top that shows them all."""
    assert plan.limit is not None
    at = columns.index(RANK_KEY)
    names = [fmt(r[0]) for r in same]
    shown = "; ".join(names[:SHOWN]) + (" and more" if len(names) > SHOWN else "")
    before = sum(1 for r in rows[:plan.limit] if r[at] != same[0][at])
    everyone = before + len(same)
    more = "+" if len(rows) == plan.limit + EXTRA_ROWS and rows[-1][at] == same[0][at] else ""
    asked = "the first row" if plan.limit == 1 else f"the top {plan.limit}"
    return (f"{len(same)}{more} rows tie at the cut-off with the same value "
            f"({fmt(same[0][at])}): {shown}. Keeping {asked} would pick among them by "
            f"spelling, not by the question; ask for the top {everyone}{more} to see them all")
