"""An answer names the metric definition its SQL used, and only when the rule was applied."""

from __future__ import annotations

import pytest

from nl2sql.interpretation import interpret_sql
from nl2sql.knowledge.recognise import metrics_used

RULE = "status NOT IN ('Cancelled', 'Returned')"


@pytest.mark.parametrize("sql, names", [
    (f"SELECT SUM(sale_price) FROM thelook_ecommerce.order_items WHERE {RULE}", ["revenue"]),
    ("SELECT EXTRACT(YEAR FROM x.created_at) AS y, SUM(x.sale_price) AS r, COUNT(*) AS n "
     "FROM thelook_ecommerce.order_items x WHERE x.status NOT IN ('Cancelled', 'Returned') "
     "AND x.created_at >= '2024-01-01' GROUP BY y", ["revenue", "items_sold"]),
    # the expression without the rule is not revenue
    ("SELECT SUM(sale_price) FROM thelook_ecommerce.order_items", []),
    ("SELECT SUM(sale_price) FROM thelook_ecommerce.order_items WHERE status = 'Complete'", []),
    # the same column of another table is not the metric
    (f"SELECT SUM(sale_price) FROM thelook_ecommerce.orders WHERE {RULE}", []),
    ("SELECT COUNT(*) FROM thelook_ecommerce.orders", ["order_count"]),
    ("not sql at all", []),
])
def test_metrics_used(sql: str, names: list[str]) -> None:
    assert [m.name for m in metrics_used(sql)] == names


def test_the_interpretation_names_the_definition_and_its_rule() -> None:
    i = interpret_sql("SELECT p.department, SUM(oi.sale_price) AS revenue "
                      "FROM thelook_ecommerce.order_items AS oi JOIN thelook_ecommerce.products "
                      f"AS p ON oi.product_id = p.id WHERE oi.{RULE} AND p.department = 'Men' "
                      "GROUP BY p.department")
    assert i.measure == "Revenue"
    assert i.definition.startswith("revenue: Sum of item sale prices")
    assert i.rules == (RULE,)
    assert i.filters == ("p.department = 'Men'",)  # the rule is named once, as a rule
    assert "rules applied: " + RULE in i.summary
