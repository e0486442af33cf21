"""How a question was read, in plain words: the ``interpretation`` of an answer.

Every interface shows it ("Read as: …") so a reader can check the reading before
trusting the number (contract: design.md, "Answer object"). The offline planner
builds one from its plan; for any other model ``interpret_sql`` derives a
best-effort one from the SQL that ran, with sqlglot: the aggregates, the WHERE
conditions, the grouping, the ordering and limit, and the tables joined.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp

from nl2sql.knowledge.recognise import bare_sql, conjuncts, metrics_used

AGGREGATE_WORDS = {
    exp.Count: "count", exp.Sum: "total", exp.Avg: "average", exp.Min: "minimum",
    exp.Max: "maximum", exp.Median: "median",
}


@dataclass(frozen=True)
class Interpretation:
    """Plain-language strings for display; empty fields mean "none"."""

    measure: str = ""
    definition: str = ""  # what the measure is computed as (a formula or a metric's rule)
    filters: tuple[str, ...] = ()
    grouping: tuple[str, ...] = ()
    ordering: str = ""
    time_window: str = ""
    joins: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()  # business rules applied (a metric's documented filters)
    unused_words: tuple[str, ...] = ()
    summary: str = field(default="")

    def __post_init__(self) -> None:
        if not self.summary:
            object.__setattr__(self, "summary", summarize(self))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, tuple):
                d[k] = list(v)
        return d


def summarize(i: Interpretation) -> str:
    """One sentence: "I read this as the count of orders, by status, where year is 2024"."""
    parts = [i.measure or "the rows"]
    if i.grouping:
        parts.append("by " + " and ".join(i.grouping))
    conditions = list(i.filters) + ([i.time_window] if i.time_window else [])
    if conditions:
        parts.append("where " + " and ".join(conditions))
    if i.ordering:
        parts.append(i.ordering)
    text = "I read this as " + ", ".join(parts)
    if i.rules:
        text += " (rules applied: " + "; ".join(i.rules) + ")"
    return text + "."


def _sql(node: exp.Expr) -> str:
    return node.sql(dialect="bigquery")


def _measure(node: exp.Expr) -> str:
    """``COUNT(*)`` -> "count of rows", ``AVG(x)`` -> "average of x"; other expressions
    are shown as SQL."""
    inner = node.this if isinstance(node, exp.Alias) else node
    for kind, word in AGGREGATE_WORDS.items():
        if isinstance(inner, kind):
            arg = inner.this
            if isinstance(arg, exp.Distinct):
                return f"{word} of distinct " + ", ".join(_sql(e) for e in arg.expressions)
            if arg is None or isinstance(arg, exp.Star):
                return f"{word} of rows"
            return f"{word} of {_sql(arg)}"
    return _sql(inner)


def _ordinal(node: exp.Expr, select: exp.Select) -> exp.Expr:
    """``GROUP BY 1``: the first selected expression, without its alias."""
    if isinstance(node, exp.Literal) and node.is_int:
        k = int(node.this) - 1
        if 0 <= k < len(select.expressions):
            chosen = select.expressions[k]
            return chosen.this if isinstance(chosen, exp.Alias) else chosen
    return node


def interpret_sql(sql: str, datasets_dir: str = "") -> Interpretation:
    """A best-effort interpretation of one GoogleSQL query (the outermost SELECT);
    ``datasets_dir`` is where a team's definitions files override the packaged ones."""
    try:
        tree = sqlglot.parse_one(sql, read="bigquery")
    except sqlglot.errors.ParseError:
        return Interpretation(summary="I could not read the query to describe it.")
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is None:
        return Interpretation(summary="I could not read the query to describe it.")
    aggregates = [e for e in select.expressions if e.find(exp.AggFunc)]
    measure = "; ".join(_measure(e) for e in aggregates)
    if not aggregates:
        measure = "the rows: " + ", ".join(
            e.alias_or_name or _sql(e) for e in select.expressions)
    where = select.args.get("where")
    filters = tuple(_sql(c) for c in conjuncts(where.this if where else None))
    having = select.args.get("having")
    filters += tuple(_sql(c) for c in conjuncts(having.this if having else None))
    group = select.args.get("group")
    grouping = tuple(_sql(_ordinal(g, select)) for g in group.expressions) if group else ()
    ordering = ""
    order = select.args.get("order")
    if order:
        ordering = "ordered by " + ", ".join(_sql(o) for o in order.expressions)
    limit = select.args.get("limit")
    if limit is not None and limit.expression is not None:
        ordering = (ordering + ", " if ordering else "") + f"first {_sql(limit.expression)}"
    tables = [t for t in select.find_all(exp.Table)]
    joins = tuple(_sql(t) for t in tables[1:]) if len(tables) > 1 else ()
    definition = "; ".join(_sql(e.this if isinstance(e, exp.Alias) else e) for e in aggregates)
    rules: tuple[str, ...] = ()
    used = metrics_used(sql, datasets_dir)  # defined metrics the query computes exactly: name them
    if used:
        measure = "; ".join(m.label or m.name.replace("_", " ") for m in used)
        definition = "; ".join(f"{m.name}: {m.description}" for m in used)
        rules = tuple(dict.fromkeys(f for m in used for f in m.filters))
        ruled = {bare_sql(r) for r in rules}
        filters = tuple(f for f in filters if bare_sql(f) not in ruled)
    return Interpretation(measure=measure, definition=definition, filters=filters,
                          grouping=grouping, ordering=ordering, joins=joins, rules=rules)
