"""A value said right before the subject's name ("active users") whose column lies across a
one-to-many join from the subject: decline, do not read it as "users with some row there".

"How many active users are there?" found 'Active' as a product category, two joins away
(users -> order items -> inventory items), and counted the users who ever bought an item of
that category: a confident wrong answer. A word in front of a noun describes the noun's own
rows (or a row it points at: "Cardiology doctors"); reaching it through rows the subject has
many of is a guess about a relation the question never said.
"""

from __future__ import annotations

from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Plan


def _across_many(plan: Plan, table_id: str) -> bool:
    """Whether the plan reaches ``table_id`` from its subject through a one-to-many join."""
    by_target = {j.target.id: j for j in plan.joins}
    seen: set[str] = set()
    while table_id != plan.subject.id and table_id not in seen:
        seen.add(table_id)
        join = by_target.get(table_id)
        if join is None:
            return False
        if join.many:
            return True
        table_id = join.source.id
    return False


def modifier_across_many(plan: Plan, readings: list[Reading]) -> str | None:
    """Why the plan cannot stand, when a value said before the subject's name in the same
    phrase is a column of a table the subject has many rows of; else None."""
    for r in readings:
        named = [p for p in r.of("table") if p.table is plan.subject]
        if not named:
            continue
        for p in r.of("value"):
            if p.column is None or p.column.table == plan.subject.id or p.end > named[0].start:
                continue
            if _across_many(plan, p.column.table):
                said = " ".join(t.raw for t in r.phrase.toks[p.start:p.end])
                return (f"'{said}' is a {p.column.name.replace('_', ' ')} of "
                        f"{p.column.table.split('.')[-1]}, rows each of the {plan.subject.name} "
                        f"has many of; I cannot tell that it describes the {plan.subject.name} "
                        "themselves")
    return None
