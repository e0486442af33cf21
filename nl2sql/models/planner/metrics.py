"""Applying a dataset's defined metric beyond its base table.

A metric may name columns of another table (``SUM(sale_price - products.cost)``), reached
along the key its definition declares (``order_items.product_id = products.id``): that
table is described before planning, and the plan joins it exactly along that key -- never
along a path the planner would pick itself.
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Catalog, Join, Table
from nl2sql.models.planner.knowledge import Metric
from nl2sql.models.planner.plan import Plan


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
