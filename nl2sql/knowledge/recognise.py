"""Which defined metrics a query computes, so an answer can name the definition used.

A metric counts as used when one of the query's aggregates is the metric's
expression over its base table and every filter of the metric is among the
WHERE conditions (column qualifiers and aliases aside, compared as sqlglot
renders them). An aggregate that matches a metric's expression without its
filters is *not* the metric: saying "revenue" then would be the very mistake
definitions exist to prevent.

>>> [m.name for m in metrics_used(
...     "SELECT SUM(oi.sale_price) FROM thelook_ecommerce.order_items AS oi "
...     "WHERE oi.status NOT IN ('Cancelled', 'Returned')")]
['revenue']
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from nl2sql.errors import Nl2SqlError
from nl2sql.knowledge.semantic import Metric, semantic_layer


def _bare(node: exp.Expr) -> str:
    """The expression without table qualifiers, as GoogleSQL text."""
    copy = node.copy()
    for col in copy.find_all(exp.Column):
        col.set("table", None)
        col.set("db", None)
        col.set("catalog", None)
    return copy.sql(dialect="bigquery")


def bare_sql(text: str) -> str:
    """``oi.status = 'x'`` -> ``status = 'x'``; the text itself when it does not parse."""
    tree = _parse(text)
    return _bare(tree) if tree is not None else text


def _parse(text: str) -> exp.Expr | None:
    try:
        return sqlglot.parse_one(text, read="bigquery")
    except sqlglot.errors.ParseError:
        return None


def conjuncts(node: exp.Expr | None) -> list[exp.Expr]:
    """The conditions ``node`` ANDs together (parentheses looked through)."""
    if node is None:
        return []
    if isinstance(node, exp.And):
        return conjuncts(node.left) + conjuncts(node.right)
    if isinstance(node, exp.Paren):
        return conjuncts(node.this)
    return [node]


def metrics_used(sql: str, datasets_dir: str = "") -> list[Metric]:
    """The single-table metrics ``sql`` computes exactly, in the order it selects them
    (definitions from ``datasets_dir`` first, as ``NL2SQL_DATASETS_DIR``)."""
    tree = _parse(sql)
    if tree is None:
        return []
    found: list[Metric] = []
    for select in tree.find_all(exp.Select):
        tables = [t for t in select.find_all(exp.Table)
                  if t.find_ancestor(exp.Select) is select]
        where = select.args.get("where")
        conditions = {_bare(c) for c in conjuncts(where.this if where else None)}
        aggregates = {_bare(e.this if isinstance(e, exp.Alias) else e)
                      for e in select.expressions if e.find(exp.AggFunc)}
        for t in tables:
            try:
                layer = semantic_layer(t.db, datasets_dir) if t.db else None
            except Nl2SqlError:
                layer = None
            for m in layer.metrics if layer else ():
                if m.table != t.name or m.expression is None or m in found:
                    continue
                expression = _parse(m.expression)
                filters = [_parse(f) for f in m.filters]
                if expression is None or any(f is None for f in filters):
                    continue
                if _bare(expression) in aggregates and all(
                        _bare(f) in conditions for f in filters if f is not None):
                    found.append(m)
    return found
