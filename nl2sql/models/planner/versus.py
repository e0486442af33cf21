"""Comparisons with an aggregate: "products priced above the average", "older than the
average age" (each row's value against the average over all rows), and "categories with an
average price above the overall average" (each group's average, in HAVING).

The compared column must be said (right before the comparison or right after "average")
or hinted ("older": an age); otherwise, or when it belongs to related rows, the planner
declines rather than compare something else.
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.features import Unanswerable
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Versus

_Builder = Any  # build._Builder; not imported, so the modules form no cycle


class Unclear(Exception):
    pass


def versus(b: _Builder) -> None:
    try:
        _versus(b)
    except Unclear as e:
        raise Unanswerable(str(e)) from e


def _versus(b: _Builder) -> None:
    """``priced above the average``, ``older than the average age``: the column compared
    with its own average over all rows (or, when the answer averages it per group, each
    group's average compared with the overall one)."""
    for cmp in b.parsed.versus:
        said: list[tuple[Column, Reading]] = []
        for r in b.readings:
            cols = [p for p in r.pieces if p.kind == "column" and p.column is not None
                    and p.column.numeric and not p.column.is_key]
            first, last = r.phrase.toks[0].i, r.phrase.toks[-1].i
            if cols and len(r.pieces) == 1 and (last == cmp.after - 1 or first == cmp.end):
                said.append((cols[0].column, r))
        hinted = b._kind_column(cmp.hint, [b.s] + [j.target for j in b.joins]) \
            if cmp.hint else None
        cols = list({c.table + "." + c.name: c for c in [c for c, _ in said] + (
            [hinted] if hinted is not None and not said else [])}.values())
        if len(cols) != 1:
            raise Unclear("I could not tell which value is compared with the average")
        if cols[0].table != b.s.id:  # of related rows ("a treatment costing less than...")
            raise Unclear(f"I can compare {cols[0].name} with its average only for "
                          f"{cols[0].table.split('.')[-1]} themselves")
        col = cols[0]
        grouped = _grouped(b, cmp, col, [r for _, r in said])
        tokens = set(range(cmp.after, cmp.end)) | {t.i for _, r in said for t in r.phrase.toks}
        b.plan.conditions.append(Versus(col, cmp.op, "AVG", grouped, tuple(sorted(tokens))))
        b.readings = [r for r in b.readings if all(r is not x for _, x in said)]


def _grouped(b: _Builder, cmp: P.Comparison, col: Column, said: list[Reading]) -> bool:
    """Whether each group's average is compared: "categories with an average price above
    the overall average" (the averaged column, or the grouped thing, is what is compared),
    not "products above the average price" (the rows are)."""
    if not b.plan.groups:
        return False
    averaged = any(m.func == "AVG" and m.column is col for m in b.plan.measures)
    if any("AVG" in r.phrase.aggs for r in said):
        return averaged
    before = [r for r in b.readings if r.pieces and r.phrase.toks[-1].i < cmp.after]
    if before:
        last = before[-1]
        if any(p.kind == "table" and p.table is b.s for p in last.pieces):
            return False
        grouped = {(g.column.table, g.column.name) for g in b.plan.groups}
        if averaged and any(p.column is not None and (p.column.table, p.column.name) in grouped
                            for p in last.pieces):
            return True
    raise Unclear("I could not tell whether single rows or each group's average is compared "
                  "with the average")
