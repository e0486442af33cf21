"""Values of each row: "What is the grade of each high schooler?", "List the weight of
every dog", "the cost of each treatment".

A numeric column asked "of each <the rows themselves>" with no word asking to add,
average or count is one value per row, not a total or an average over the rows (the
builder's default for a measured column). The rows are listed with their labels and
the column. "each <another table>" (a grouping) and any aggregate word ("total",
"average", "how many", "highest") keep the aggregate reading.
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import has_name, label_columns
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.words import FILLERS

EACH = ("each", "every")
_ASKING = ("sum", "average", "median", "count", "share", "ranking", "distinct")


def _each_subject(plan: Plan, parsed: P.Parse, readings: list[Reading]) -> set[int] | None:
    """Token indices of "each <subject>", if the question says it once."""
    lows = [t.low for t in parsed.toks]
    found: list[set[int]] = []
    for r in readings:
        if (r.phrase.role != P.GROUP or r.unresolved or len(r.pieces) != 1
                or r.pieces[0].kind != "table" or r.pieces[0].table is not plan.subject):
            continue
        k = r.phrase.toks[0].i - 1
        while k >= 0 and lows[k] in FILLERS:
            k -= 1
        if k >= 0 and lows[k] in EACH:
            found.append({k, *(t.i for t in r.phrase.toks)})
    return found[0] if len(found) == 1 else None


def each_row_values(plan: Plan, parsed: P.Parse, readings: list[Reading]) -> None:
    """A measured column "of each <subject>" becomes the rows' own values."""
    if not has_name(plan.subject):
        return  # rows with no name to show them by: a bare list of numbers (declined)
    if (not plan.measures or plan.rows or plan.limit is not None or plan.having
            or plan.conditions or plan.order_column is not None):
        return
    if any(m.func not in ("SUM", "AVG") or m.column is None or m.condition or m.metric
           or m.since is not None or m.column.table != plan.subject.id for m in plan.measures):
        return
    # the parser gives a measured column its default aggregate: only the words say
    # whether one was asked for ("the total weight of each dog")
    features = lexicon().features
    asking = frozenset().union(*(features[f] for f in _ASKING))
    if any(t.low in asking for t in parsed.toks if t.low not in EACH):
        return
    each = _each_subject(plan, parsed, readings)
    if each is None:
        return
    if any(g.column.table != plan.subject.id or not g.column.is_key or g.unit is not None
           for g in plan.groups):
        return
    cols = [m.column for m in plan.measures if m.column is not None]
    shown = [c for c in label_columns(plan.subject) if all(c is not x for x in cols)]
    plan.rows = shown + cols
    plan.measures, plan.groups = [], []
    plan.accounted |= each
