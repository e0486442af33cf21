"""Counts of the rows holding named values: "How many F grades are there?" counts the
results whose grade is 'F'. Read as the number of *different* grades among them, the
answer could only ever be the number of values named (1 here), which nobody asks for;
the question names the values to count the rows that hold them.
"""

from __future__ import annotations

from nl2sql.models.planner.plan import Measure, Plan


def count_fixed_rows(plan: Plan) -> None:
    """Turn ``COUNT(DISTINCT c)`` into a count of rows where the plan keeps only rows
    whose ``c`` equals values the question names, and ``c`` is the subject's own
    column (a joined table's rows may repeat, its values are not counted so)."""
    fixed = {(f.column.table.lower(), f.column.name.lower()) for f in plan.filters
             if f.op == "=" and f.part is None and f.values}
    for k, m in enumerate(plan.measures):
        c = m.column
        if (m.func == "COUNT_DISTINCT" and c is not None and not m.condition
                and c.table.lower() == plan.subject.id.lower()
                and (c.table.lower(), c.name.lower()) in fixed):
            plan.measures[k] = Measure("COUNT")
