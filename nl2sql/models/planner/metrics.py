"""Applying a dataset's defined metric: finding it in the question, making it the measure,
and joining the tables it reads beyond its base table.

A metric may name columns of another table (``SUM(sale_price - products.cost)``), reached
along the key its definition declares (``order_items.product_id = products.id``): that
table is described before planning, and the plan joins it exactly along that key -- never
along a path the planner would pick itself.
"""

from __future__ import annotations

from sqlglot import exp, parse_one

from nl2sql.models.planner.catalog import Catalog, Join, Table
from nl2sql.models.planner.knowledge import Metric, find_metric
from nl2sql.models.planner.plan import Measure, Plan
from nl2sql.models.planner.words import plural_phrase, tokenize


def metric_tables(metric: Metric, catalog: Catalog) -> list[Table | None]:
    """The tables the metric reads besides its base (None: one the catalog does not show)."""
    return [catalog.table(tid) for _, tid, _ in metric.joined]


def join_metric(plan: Plan, metric: Metric, catalog: Catalog) -> str | None:
    """Add the metric's declared joins to ``plan``; the reason when one cannot be made."""
    for fk_name, tid, key_name in metric.joined:
        target = catalog.table(tid)
        fk = plan.subject.column(fk_name)
        key = target.column(key_name) if target is not None else None
        if target is None or fk is None or key is None:
            return (f"the metric {metric.name} joins {tid} on {fk_name} = {key_name}, "
                    "which I cannot see")
        if any(j.target is target for j in plan.joins):
            if not any(j.target is target and j.fk is fk for j in plan.joins):
                return (f"the question reaches {target.name} in another way than the metric "
                        f"{metric.name} does ({fk_name})")
            continue
        plan.joins.append(Join(plan.subject, fk, target, key))
    return None


def named_metric(question: str, catalog: Catalog) -> tuple[Metric | None, str]:
    """A defined metric the question names, and the question with its words said as the
    rows it is computed over ("total revenue by category" -> "order items by category"),
    so the rest of the question is read as about those rows."""
    names = frozenset({t.words for t in catalog.tables.values()} | {
        c.words for t in catalog.fetched() for c in t.columns or []})
    found = find_metric(question, catalog.metrics, names) if catalog.metrics else None
    if found is None:
        return None, question
    metric, start, end = found
    table = catalog.table(metric.table)
    rows = plural_phrase(table.name) if table is not None else "rows"
    if table is not None and tuple(t.stem for t in tokenize(rows)) != table.words:
        rows = table.name  # a terse name ("sl") reads back only as written
    return metric, question[:start] + rows + question[end:]


def additive(metric: Metric) -> bool:
    """Whether the metric is one SUM or COUNT, so a part of it is a share of the whole
    (a ratio such as revenue per order has no part that adds up to it)."""
    try:
        tree = parse_one(metric.expression, read="bigquery")
    except Exception:  # noqa: BLE001 - an unreadable definition: no share of it
        return False
    return isinstance(tree, (exp.Sum, exp.Count))


def with_metric(plan: Plan, metric: Metric) -> str | None:
    """The metric is the measure: rows or counts the words made are replaced by it. A
    percentage the words asked for ("what percentage of revenue comes from Women") becomes
    the metric's share meeting its condition, or each group's share of the metric; the reason
    when the metric has no such share."""
    ranked = plan.ranked and not plan.rows
    plan.rows, plan.order_column = [], None
    if not ranked:
        plan.desc = plan.limit = None
    share = next((m for m in plan.measures if m.func in ("PCT", "SHARE")), None)
    if share is not None and not additive(metric):
        return (f"the metric {metric.name} ({metric.expression}) is not a sum or a count, "
                "so no part of it is a share of the whole")
    plan.measures = [Measure("METRIC", metric=metric) if share is None else
                     Measure("METRIC_SHARE", metric=metric, condition=share.condition)]
    plan.explicit_measures = True
    return None


def rule_conflict(plan: Plan, metric: Metric) -> str | None:
    """A filter of the question that the metric's own rule excludes ("revenue from
    returned items" when revenue leaves returned items out): the answer would be empty or
    none by definition, so the planner says why instead of answering "none"."""
    said = list(plan.filters) + [f for m in plan.measures for f in m.condition]
    for rule in metric.filters:
        try:
            node = parse_one(rule, read="bigquery")
        except Exception:  # noqa: BLE001 - a rule sqlglot cannot read is checked elsewhere
            continue
        negated = isinstance(node, exp.Not)
        inner = node.this if negated else node
        if isinstance(inner, exp.In) and isinstance(inner.this, exp.Column):
            column, listed = inner.this.name.lower(), inner.expressions
        elif isinstance(inner, (exp.EQ, exp.NEQ)) and isinstance(inner.this, exp.Column):
            column, listed = inner.this.name.lower(), [inner.expression]
            negated = negated != isinstance(inner, exp.NEQ)
        else:
            continue
        values = {str(v.this).lower() for v in listed if isinstance(v, exp.Literal)}
        for f in said:
            if f.column.name.lower() != column or f.op != "=" or f.part is not None:
                continue
            asked = {str(v).lower() for v in f.values}
            if (negated and asked <= values) or (not negated and not asked & values):
                shown = " or ".join(f"'{v}'" for v in f.values)
                return (f"{metric.name} is defined with the rule {rule}, which leaves out "
                        f"rows with {f.column.name} {shown}; ask for a column of those rows "
                        f"instead of {metric.name} (a total or a count of them)")
    return None
