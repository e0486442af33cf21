"""A listing of one column's values asked for by the column's plural alone ("Which
medications were prescribed in 2023?") lists each value once (``SELECT DISTINCT``).

The prescriptions table was the subject only because it holds the medication column; one
row per prescription listed "Albuterol; Albuterol; Albuterol; ...". The question asks which
values occur, not for the rows that hold them. "the names of the singers" asks for rows of
a named table and keeps one row per row.
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.words import Tok


def values_once(plan: Plan, readings: list[Reading], toks: list[Tok]) -> None:
    """Mark the plan DISTINCT when it lists a single non-key column that the asking phrase
    names alone, in the plural, right after "which"/"what" ("Which medications ...")."""
    if (len(plan.rows) != 1 or plan.measures or plan.groups or plan.limit is not None
            or plan.distinct or plan.relations):
        return
    (col,) = plan.rows
    if col.is_key or (plan.order_column is not None and plan.order_column is not col):
        return
    for r in readings:
        if r.phrase.role != P.WHICH or len(r.pieces) != 1 or r.unresolved:
            continue
        before = [t.low for t in toks[:r.phrase.toks[0].i]]
        if before not in (["which"], ["what"]):  # "Show all the grades of ...": every row
            continue
        p = r.pieces[0]
        said = r.phrase.toks[p.start:p.end]
        plural = bool(said) and said[-1].low != said[-1].stem  # "medications", not "name"
        if p.kind == "column" and p.column is not None and plural and (
                p.column.table, p.column.name) == (col.table, col.name):
            plan.distinct = True
