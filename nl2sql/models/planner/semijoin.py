"""A listing of the subject's rows filtered through rows it has many of ("Which products were
returned in 2024?") keeps each subject row once: the join becomes ``EXISTS``.

Joined to order items, a product returned twice in 2024 was listed twice ("7 For All Mankind
Jeans; 7 For All Mankind Jeans; ..."), and the answer counted rows of the join as products.
A related-rows condition ("the product has some order items returned in 2024") is what the
question asks of each product. A relation verb's reading ("the courses they teach",
relations.py) keeps its pairs: there each row of the bridge is an answer row.
"""

from __future__ import annotations

from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Filter, Plan, Related
from nl2sql.models.planner.words import Tok


def _said(via: str, filters: tuple[Filter, ...], readings: list[Reading],
          toks: list[Tok]) -> tuple[int, ...]:
    """The question's words the condition reads: the related table's name, the moved
    filters' columns and values, and the numbers they compare with ("in 2024")."""
    keys = {(f.column.table, f.column.name) for f in filters}
    numbers = {float(v) for f in filters for v in f.values
               if isinstance(v, (int, float)) and not isinstance(v, bool)}
    out: set[int] = set()
    for r in readings:
        for p in r.pieces:
            named = p.kind == "table" and p.table is not None and p.table.id == via
            if named or p.column is not None and (p.column.table, p.column.name) in keys:
                out |= {t.i for t in r.phrase.toks[p.start:p.end]}
    out |= {t.i for t in toks if t.number is not None and float(t.number) in numbers}
    return tuple(sorted(out))


def listed_once(plan: Plan, readings: list[Reading], toks: list[Tok]) -> None:
    """Turn the plan's one one-to-many join into an EXISTS condition when the plan lists
    only the subject's own columns and uses the joined rows only to filter."""
    if (not plan.rows or plan.measures or plan.groups or plan.distinct or plan.relations
            or plan.having or plan.periods is not None or len(plan.joins) != 1):
        return
    join = plan.joins[0]
    subject = plan.subject.id
    shown = plan.rows + ([plan.order_column] if plan.order_column is not None else [])
    if not join.many or join.source.id != subject or any(c.table != subject for c in shown):
        return
    if any(getattr(c, "via", None) is join.target for c in plan.conditions):
        return
    if any(f.column.table not in (subject, join.target.id) for f in plan.filters):
        return
    related = tuple(f for f in plan.filters if f.column.table == join.target.id)
    if any(f.op != "=" or len(f.values) != 1 for f in related):
        return  # "both X and Y", ranges: the audit judges those as filters of the join
    plan.filters = [f for f in plan.filters if f.column.table == subject]
    plan.joins = []
    plan.conditions.append(Related(via=join.target, fk=join.key, key=join.fk, op=">=",
                                   count=1, filters=related,
                                   tokens=_said(join.target.id, related, readings, toks)))
