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

from dataclasses import dataclass, field, replace

from sqlglot import exp

from nl2sql.models.planner.catalog import Column, Table, key_column
from nl2sql.models.planner.cues import Relative
from nl2sql.models.planner.plan import Filter, Measure, Plan  # noqa: F401 (doctest)
from nl2sql.models.planner.setsql import condition_sql
from nl2sql.models.planner.sqlexpr import (
    DIALECT,
    Names,
    compare,
    condition,
    count_star,
    date_of,
    entity_name,
    fn,
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
    query = query.from_(table_node(plan.subject, names.aliases.get(plan.subject.id, "")),
                        copy=False)
    for j in plan.joins:
        query = query.join(table_node(j.target, names.aliases[j.target.id]),
                           on=exp.EQ(this=names.col(j.fk), expression=names.col(j.key)), copy=False)
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


@dataclass
class Built:
    """A plan's query and its output names: each measure's first, each group's."""

    query: exp.Select
    measures: list[str] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)  # per group key, in plan order


def to_sql(plan: Plan, defensive: bool = False) -> str:
    """The query for ``plan``; ``defensive`` adds casts, for a second attempt after an error."""
    if plan.periods is not None:
        held = _held(plan)
        inner = replace(plan, filters=[f for f in plan.filters if f not in held])
        return render(compared(plan, build(inner, defensive), held))
    return render(build(plan, defensive).query)


def _held(plan: Plan) -> list[Filter]:
    """Month-over-month in 2024: the year filter applies after the window, so that
    January is compared with the December before it."""
    spec = plan.periods
    if spec is None or spec.kind != "over":
        return []
    return [f for f in plan.filters if f.column == spec.column and f.part == "YEAR"
            and not (spec.unit == "YEAR" and isinstance(f.values[0], Relative))]


def build(plan: Plan, defensive: bool = False) -> Built:
    """The query for ``plan`` as a sqlglot tree, with its output names."""
    names = Names(aliases(plan))
    built = Built(exp.select(copy=False))
    out = _Outputs(plan)
    select: list[exp.Expr] = []
    group_by: list[exp.Expr] = []
    order: list[exp.Expr] = []
    time_out: list[exp.Expr] = []
    group_out: list[exp.Expr] = []
    for g in plan.groups:
        source = next((t for t in plan.tables() if t.id == g.column.table), None)
        built.groups.append([])
        for expr, name in group_exprs(g, plan, names, defensive):
            if name is not None:
                a = out.name(name, source if g.unit is None and g.entity is None else None)
                built.groups[-1].append(a)
                select.append(exp.alias_(expr, a, copy=False))
                (time_out if g.unit else group_out).append(exp.column(a))
            group_by.append(expr.copy())
    measure_out: list[exp.Expr] = []
    for m in plan.measures:
        for k, (expr, name) in enumerate(measure_exprs(m, plan, names, defensive)):
            a = out.name(name)
            if k == 0:
                built.measures.append(a)
            select.append(exp.alias_(expr, a, copy=False))
            measure_out.append(exp.column(a))
    subject_alias = names.aliases.get(plan.subject.id, "")
    where = [condition(f, names, defensive) for f in plan.filters]
    where += [qualified(rule, subject_alias, m.metric.aliases(names.aliases))  # its own rules
              for m in plan.measures if m.metric is not None for rule in m.metric.filters]
    taken = set(names.aliases.values())
    subqueries = [(getattr(c, "grouped", False), condition_sql(c, names, taken, defensive))
                  for c in plan.conditions]  # set conditions (setsql.py)
    where += [e for grouped, e in subqueries if not grouped]
    if plan.rows:
        for c in plan.rows:
            a = out.name(c.name)
            ref = names.col(c)
            select.append(exp.alias_(ref, a, copy=False)
                          if a != c.name or names.aliases.get(c.table) else ref)
        if plan.order_column is not None:
            if plan.limit is not None:  # the top rows by a value that is set
                where.append(exp.Not(this=exp.Is(this=names.col(plan.order_column),
                                                 expression=exp.Null())))
            order.append(ordered(names.col(plan.order_column), bool(plan.desc)))
            order += [names.col(c) for c in plan.ties]  # relations.py
            order += [names.col(c) for c in plan.rows if c is not plan.order_column]
        else:
            order += [names.col(c) for c in plan.rows]
    elif plan.ranked and measure_out:
        order.append(ordered(measure_out[0], bool(plan.desc)))
        order += time_out + group_out
    elif plan.explicit_order and plan.desc is not None and measure_out and (
            group_out or time_out):  # "revenue by month, highest first" (sorting.py)
        order.append(ordered(measure_out[0], plan.desc))
        order += time_out + group_out
    elif time_out:
        order += time_out + group_out
    elif group_out and measure_out:
        order += [ordered(measure_out[0], True), *group_out]
    query = from_joins(exp.select(*select, copy=False), plan, names)
    if where:
        query = query.where(*where, copy=False)
    if group_by:
        query = query.group_by(*group_by, copy=False)
        having = [compare(count_star(), op, lit(n)) for op, n in plan.having]
        having += [e for grouped, e in subqueries if grouped]  # "above the overall average"
        if having:  # a condition on each group's count of rows, or its average
            query = query.having(*having, copy=False)
    if order:
        query = query.order_by(*order, copy=False)
    if plan.limit is not None and (plan.rows or plan.ranked):
        query = query.limit(int(plan.limit), copy=False)
    if plan.rows and plan.distinct:
        query = query.distinct(copy=False)  # "the different names": each once
    built.query = query
    return built


def _window(e: exp.Expr, order: exp.Expr, partition: list[str]) -> exp.Expr:
    return exp.Window(this=e, partition_by=[exp.column(c) for c in partition] or None,
                      order=exp.Order(expressions=[order.copy()]), over="OVER")


def _change(new: exp.Expr, old: exp.Expr, name: str) -> list[exp.Expr]:
    """``new - old`` and ``100 * (new - old) / old`` (NULL when old is 0 or missing)."""
    diff = exp.Sub(this=new, expression=old)
    pct = fn("SAFE_DIVIDE", exp.Mul(this=lit(100), expression=exp.Paren(this=diff.copy())),
             old.copy())
    return [exp.alias_(diff, f"{name}_change", copy=False),
            exp.alias_(pct, f"{name}_percent_change", copy=False)]


def compared(plan: Plan, built: Built, held: list[Filter] | None = None) -> exp.Select:
    """The comparison of periods (``plan.periods``, last group key: the period) over the
    plan's query: each period against the previous one (compare: the previous one asked
    for; over: the bucket just before, else NULL), or one row from the earlier of two
    periods to the later (growth)."""
    spec = plan.periods
    assert spec is not None and plan.groups
    base = built.query
    base.set("order", None)
    period = exp.column(built.groups[-1][0])
    others = [a for names in built.groups[:-1] for a in names]
    kept = [exp.column(e.alias_or_name) for e in base.expressions]
    if spec.kind == "growth":
        shown = next(e for e in base.expressions if e.alias_or_name == period.name).unalias()
        numbered = plan.groups[-1].unit not in (None, "YEAR")  # Q3 vs Q4: the quarter
        old, new = spec.periods[0], spec.periods[-1]
        pivot = exp.select(*map(exp.column, others), copy=False).from_("per_period", copy=False)
        for v in built.measures:
            for p in (old, new):
                value = lit(p.number if numbered else p.year) if isinstance(
                    shown, exp.Extract | exp.Column) else date_of(p.start)
                pivot = pivot.select(exp.alias_(exp.Max(this=fn(
                    "IF", exp.EQ(this=period.copy(), expression=value), exp.column(v),
                    exp.Null())), slug(f"{v}_{p.label}")), copy=False)
        if others:
            pivot = pivot.group_by(*map(exp.column, others), copy=False)
        final = exp.select(*(exp.column(e.alias_or_name) for e in pivot.expressions), copy=False)
        for v in built.measures:
            final = final.select(*_change(exp.column(slug(f"{v}_{new.label}")),
                                          exp.column(slug(f"{v}_{old.label}")), v), copy=False)
        final = final.from_("pivot", copy=False).with_("per_period", as_=base, copy=False) \
            .with_("pivot", as_=pivot, copy=False)
        return final.order_by(*map(exp.column, others), copy=False) if others else final
    lagged = exp.select(*kept, copy=False).from_("per_period", copy=False)
    for v in built.measures:
        before = _window(fn("LAG", exp.column(v)), period, others)
        if spec.kind == "over":  # only the bucket right before counts, not a gap's far side
            prior = _prior(period, plan.groups[-1].unit or "", base)
            before = fn("IF", exp.EQ(this=_window(fn("LAG", period.copy()), period, others),
                                     expression=prior), before, exp.Null())
        lagged = lagged.select(exp.alias_(before, f"previous_{v}"), copy=False)
    final = exp.select(*(exp.column(e.alias_or_name) for e in lagged.expressions), copy=False)
    for v in built.measures:
        final = final.select(*_change(exp.column(v), exp.column(f"previous_{v}"), v), copy=False)
    final = final.from_("lagged", copy=False).with_("per_period", as_=base, copy=False) \
        .with_("lagged", as_=lagged, copy=False)
    if held:  # on the period shown: a year, or a bucket's first day
        year = plan.groups[-1].unit == "YEAR"
        shown = Column(period.name, "INT64" if year else "DATE", "")
        final = final.where(*(condition(Filter(shown, f.op, f.values, None if year else "YEAR"),
                                        Names({})) for f in held), copy=False)
    return final.order_by(*map(exp.column, others), period.copy(), copy=False)


def _prior(period: exp.Column, unit: str, base: exp.Select) -> exp.Expr:
    """The bucket before ``period``: a number less one (years, months of one year), or the
    date one ``unit`` earlier."""
    shown = next(e for e in base.expressions if e.alias_or_name == period.name)
    if isinstance(shown.unalias(), exp.Extract):
        return exp.Sub(this=period.copy(), expression=lit(1))
    return fn("DATE_SUB", period.copy(), exp.Interval(this=lit(1), unit=exp.var(unit)))


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
                                    exp.alias_(count_star(), "row_count"), copy=False)
                         .from_(table_node(t), copy=False).where(exp.or_(*cond), copy=False)
                         .group_by(exp.column(c.name), copy=False))
    if not parts:
        return None
    union: exp.Query = parts[0]
    for p in parts[1:LOOKUP_MAX_COLUMNS]:
        union = exp.union(union, p, distinct=False, copy=False)
    return render(union.order_by(ordered(exp.column("row_count"), True), copy=False)
                  .limit(100, copy=False))
