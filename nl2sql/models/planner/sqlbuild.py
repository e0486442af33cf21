"""Plan -> one GoogleSQL query, built with sqlglot's expression builder, with fully
qualified tables and readable aliases. Names and values are nodes, never spliced text.

>>> from nl2sql.models.planner.catalog import Column, Table
>>> t = Table("shop.orders")
>>> t.columns = [Column("status", "STRING", "shop.orders")]
>>> print(to_sql(Plan(t, [Measure("COUNT")], filters=[Filter(t.columns[0], "=", ("Paid",))])))
SELECT
  COUNT(*) AS order_count
FROM shop.orders
WHERE
  status = 'Paid'
"""

from __future__ import annotations

from sqlglot import exp

from nl2sql.models.planner.catalog import Table, key_column
from nl2sql.models.planner.plan import Filter, Measure, Plan  # noqa: F401 (doctest)
from nl2sql.models.planner.setsql import condition_sql
from nl2sql.models.planner.sqlexpr import (
    DIALECT,
    Names,
    compare,
    condition,
    count_star,
    entity_name,
    group_exprs,
    ident,
    lit,
    literal,
    measure_exprs,
    qualified,
    slug,
    table_node,
)
from nl2sql.models.planner.words import split_name

__all__ = ["ident", "literal", "lookup_sql", "render", "slug", "to_sql"]
LOOKUP_MAX_COLUMNS = 40


def render(tree: exp.Expr) -> str:
    """GoogleSQL text, one clause per line (what the answer shows and the gate checks)."""
    return tree.sql(dialect=DIALECT, pretty=True)


def ordered(e: exp.Expr, desc: bool | None = None) -> exp.Expr:
    """``e DESC``/``e ASC`` when the direction was asked for, else ``e`` (GoogleSQL's
    default null placement either way, so the text says only what was meant)."""
    if desc is None:
        return e
    return exp.Ordered(this=e, desc=desc, nulls_first=not desc)


def aliases(plan: Plan) -> dict[str, str]:
    """Table id -> alias: initials of its name (``order_items`` -> ``oi``), none without joins."""
    if not plan.joins and not plan.conditions:  # a subquery names the outer table
        return {plan.subject.id: ""}
    out: dict[str, str] = {}
    for t in plan.tables():
        base = "".join(p[0] for p in split_name(t.name)) or "t"
        alias, n = base, 2
        while alias in out.values() or ident(alias) != alias:  # not a reserved word
            alias, n = f"{base}{n}", n + 1
        out[t.id] = alias
    return out


def from_joins(query: exp.Select, plan: Plan, names: Names) -> exp.Select:
    query = query.from_(table_node(plan.subject, names.aliases.get(plan.subject.id, "")))
    for j in plan.joins:
        query = query.join(table_node(j.target, names.aliases[j.target.id]),
                           on=exp.EQ(this=names.col(j.fk), expression=names.col(j.key)))
    return query


class _Outputs:
    """Output names, unique in the query; with joins, a name that is also a column of a
    joined table makes ORDER BY ambiguous on some engines, so it gets its table's name."""

    def __init__(self, plan: Plan) -> None:
        self.used: set[str] = set()
        self.columns = {c.name.lower() for t in plan.tables() for c in t.columns or []} \
            if plan.joins else set()

    def name(self, name: str, table: Table | None = None) -> str:
        base, n = slug(name), 2
        if table is not None and base in self.columns:
            base = slug(f"{entity_name(table)}_{base}")
        out = base
        while out in self.used or (out != slug(name) and out in self.columns):
            out, n = f"{base}_{n}", n + 1
        self.used.add(out)
        return out


def to_sql(plan: Plan, defensive: bool = False) -> str:
    """The query for ``plan``; ``defensive`` adds casts, for a second attempt after an error."""
    return render(build(plan, defensive))


def build(plan: Plan, defensive: bool = False) -> exp.Select:
    """The query for ``plan`` as a sqlglot tree."""
    names = Names(aliases(plan))
    out = _Outputs(plan)
    select: list[exp.Expr] = []
    group_by: list[exp.Expr] = []
    order: list[exp.Expr] = []
    time_out: list[exp.Expr] = []
    group_out: list[exp.Expr] = []
    for g in plan.groups:
        source = next((t for t in plan.tables() if t.id == g.column.table), None)
        for expr, name in group_exprs(g, plan, names, defensive):
            if name is not None:
                a = out.name(name, source if g.unit is None and g.entity is None else None)
                select.append(exp.alias_(expr, a))
                (time_out if g.unit else group_out).append(exp.column(a))
            group_by.append(expr.copy())
    measure_out: list[exp.Expr] = []
    for m in plan.measures:
        for expr, name in measure_exprs(m, plan, names, defensive):
            a = out.name(name)
            select.append(exp.alias_(expr, a))
            measure_out.append(exp.column(a))
    subject_alias = names.aliases.get(plan.subject.id, "")
    where = [condition(f, names, defensive) for f in plan.filters]
    where += [qualified(rule, subject_alias)  # a metric's own rules
              for m in plan.measures if m.metric is not None for rule in m.metric.filters]
    taken = set(names.aliases.values())
    subqueries = [(getattr(c, "grouped", False), condition_sql(c, names, taken, defensive))
                  for c in plan.conditions]  # set conditions (setsql.py)
    where += [e for grouped, e in subqueries if not grouped]
    if plan.rows:
        for c in plan.rows:
            a = out.name(c.name)
            ref = names.col(c)
            select.append(exp.alias_(ref, a) if a != c.name or names.aliases.get(c.table)
                          else ref)
        if plan.order_column is not None:
            if plan.limit is not None:  # the top rows by a value that is set
                where.append(exp.Not(this=exp.Is(this=names.col(plan.order_column),
                                                 expression=exp.Null())))
            order.append(ordered(names.col(plan.order_column), bool(plan.desc)))
            order += [names.col(c) for c in plan.rows if c is not plan.order_column]
        else:
            order += [names.col(c) for c in plan.rows]
    elif plan.ranked and measure_out:
        order.append(ordered(measure_out[0], bool(plan.desc)))
        order += time_out + group_out
    elif time_out:
        order += time_out + group_out
    elif group_out and measure_out:
        order += [ordered(measure_out[0], True), *group_out]
    query = from_joins(exp.select(*select), plan, names)
    if where:
        query = query.where(*where)
    if group_by:
        query = query.group_by(*group_by)
        having = [compare(count_star(), op, lit(n)) for op, n in plan.having]
        having += [e for grouped, e in subqueries if grouped]  # "above the overall average"
        if having:  # a condition on each group's count of rows, or its average
            query = query.having(*having)
    if order:
        query = query.order_by(*order)
    if plan.limit is not None and (plan.rows or plan.ranked):
        query = query.limit(int(plan.limit))
    return query


def lookup_sql(phrases: list[str], tables: list[Table],
               stems: list[str] | None = None) -> str | None:
    """A query finding which text columns hold any of ``phrases`` (case-insensitive), or
    a value starting like one of ``stems`` ("Norwegian" ~ 'Norway'; ``match`` decides)."""
    if not phrases:
        return None
    parts: list[exp.Select] = []
    for t in tables:
        for c in t.columns or []:
            if not c.text or c.is_key or c is key_column(t):
                continue
            low = exp.Lower(this=exp.column(c.name))
            cond = [exp.In(this=low, expressions=[lit(p) for p in phrases])] + [
                exp.func("STARTS_WITH", low.copy(), lit(w[:4]), dialect=DIALECT)
                for w in stems or []]
            parts.append(exp.select(exp.alias_(lit(f"{t.id}.{c.name}"), "column_name"),
                                    exp.alias_(exp.column(c.name), "matched_value"),
                                    exp.alias_(count_star(), "row_count"))
                         .from_(table_node(t)).where(exp.or_(*cond))
                         .group_by(exp.column(c.name)))
    if not parts:
        return None
    union: exp.Query = parts[0]
    for p in parts[1:LOOKUP_MAX_COLUMNS]:
        union = exp.union(union, p, distinct=False)
    return render(union.order_by(ordered(exp.column("row_count"), True)).limit(100))
