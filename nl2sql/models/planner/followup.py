"""Follow-up questions: "and in 2023?", "what about by city?", "and for users?".

The follow-up's own plan replaces the parts it says (measures, groupings, a
ranking, filters on the same columns) and keeps the rest of the earlier plan.
When it names another table, what still applies is carried over by column name.
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Column, Table, time_column
from nl2sql.models.planner.plan import Filter, GroupKey, Measure, Plan


def _carried(context: Plan, subject: Table) -> Plan:
    """An earlier plan moved onto another table ("orders by status" -> "and order items?"):
    groupings and filters on columns the new table also has, by name; the rest dropped."""
    def same(col: Column) -> Column | None:
        return subject.column(col.name) if col.table == context.subject.id else None

    plan = Plan(subject)
    for g in context.groups:
        col = same(g.column)
        if col is not None and g.entity is None:
            plan.groups.append(GroupKey(col, unit=g.unit))
    for f in context.filters:
        col = same(f.column)
        if col is None and f.part is not None and f.column.table == context.subject.id:
            col = time_column(subject)  # "in 2023" holds for the new table's own dates
        if col is not None:
            plan.filters.append(Filter(col, f.op, f.values, f.part))
    if plan.groups or not context.groups:
        plan.desc, plan.limit = context.desc, context.limit
    plan.measures = [m for m in context.measures if m.column is None and not m.condition]
    return plan


def merge(context: Plan, own: Plan) -> Plan:
    """A follow-up's plan: the earlier plan with the parts the follow-up says replaced."""
    if own.subject is not context.subject:
        context = _carried(context, own.subject)
    plan = Plan(own.subject)
    plan.measures = own.measures if own.explicit_measures else context.measures
    plan.groups = own.groups or context.groups
    keys = {f.key for f in own.filters}
    plan.filters = [f for f in context.filters if f.key not in keys] + own.filters
    plan.joins = list(context.joins) + [j for j in own.joins if j not in context.joins]
    if own.explicit_order:
        plan.desc, plan.limit, plan.rows, plan.order_column = (
            own.desc, own.limit, own.rows, own.order_column)
    elif not own.groups:
        plan.desc, plan.limit, plan.rows, plan.order_column = (
            context.desc, context.limit, context.rows, context.order_column)
    if not plan.measures and not plan.rows:
        plan.measures = [Measure("COUNT")]
    plan.ignored, plan.unknown_values = own.ignored, own.unknown_values
    plan.explicit_measures = True
    return plan
