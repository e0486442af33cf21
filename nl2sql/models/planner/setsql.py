"""Set conditions (``plan.Related``, ``plan.Versus``, read by ``sets``) as sqlglot
subqueries of the outer query, and in words for the interpretation.

- none: ``NOT EXISTS (SELECT 1 FROM related r WHERE r.fk = outer.key [AND ...])``;
- some: ``EXISTS (...)``;
- a count: ``(SELECT COUNT(*) FROM related r WHERE r.fk = outer.key) > n`` (a correlated
  count, so "fewer than 2" includes the rows with none; through a bridge, distinct targets);
- versus: ``col > (SELECT AVG(col) FROM table)``, or ``AVG(col) > (...)`` in HAVING.
"""

from __future__ import annotations

from sqlglot import exp

from nl2sql.models.planner.catalog import Table, key_column
from nl2sql.models.planner.phrasing import describe_filter, row_of, rows_of, words
from nl2sql.models.planner.plan import Plan, Related, Versus
from nl2sql.models.planner.sqlexpr import Names, compare, condition, count_star, lit, table_node


def _alias(table: Table, taken: set[str]) -> str:
    base = "".join(w[0] for w in table.words) or "t"
    alias, n = f"{base}_r", 2
    while alias in taken:
        alias, n = f"{base}_r{n}", n + 1
    taken.add(alias)
    return alias


def condition_sql(c: Related | Versus, names: Names, taken: set[str],
                  defensive: bool = False) -> exp.Expr:
    """``c`` as a condition of the outer query (its tables named by ``names``); inner
    aliases are new names, added to ``taken``."""
    if isinstance(c, Versus):
        table = Table(c.column.table)
        inner = _alias(table, taken)
        value = names.col(c.column)
        overall = exp.select(exp.func(c.func, exp.column(c.column.name, table=inner))).from_(
            table_node(table, inner))
        return compare(exp.func(c.func, value) if c.grouped else value, c.op,
                       exp.Subquery(this=overall))
    inner = _alias(c.via, taken)
    own = Names({c.via.id: inner})
    far = _beyond(c, own, taken)  # "never taught History": the bridge's target, joined
    where = exp.and_(exp.column(c.fk.name, table=inner).eq(names.col(c.key)),
                     *(condition(f, own, defensive) for f in c.filters + c.target_filters))

    def source(query: exp.Select) -> exp.Select:
        query = query.from_(table_node(c.via, inner))
        return query.join(far[0], on=far[1]) if far is not None else query

    rows = source(exp.select(lit(1))).where(where)
    if c.op == "=" and c.count == 0:
        return exp.Not(this=exp.Exists(this=rows))
    if (c.op, c.count) in ((">=", 1), (">", 0)):
        return exp.Exists(this=rows)
    counted = (exp.Count(this=exp.Distinct(expressions=[exp.column(c.counted.name, table=inner)]))
               if c.counted is not None else count_star())
    sub = source(exp.select(counted)).where(where)
    return compare(exp.Subquery(this=sub), c.op, lit(c.count))


def _beyond(c: Related, own: Names, taken: set[str]) -> tuple[exp.Expr, exp.Expr] | None:
    """The target table a bridge leads to, when conditions are on its columns: (the
    table, the join condition); its alias is added to ``own``."""
    if not c.target_filters or c.target is None or c.counted is None:
        return None
    key = key_column(c.target, c.counted.name)
    if key is None:
        return None
    alias = _alias(c.target, taken)
    own.aliases[c.target.id] = alias
    on = exp.column(c.counted.name, table=own.aliases[c.via.id]).eq(
        exp.column(key.name, table=alias))
    return table_node(c.target, alias), on


ABOVE = {">": "above", ">=": "at or above", "<": "below", "<=": "at or below", "=": "equal to",
         "!=": "other than"}
SAID = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most", "=": "exactly",
        "!=": "other than"}


def describe_condition(c: Related | Versus, plan: Plan, how: bool = True) -> str:
    """The condition in words: what it asks of each row, then (``how``, for the
    interpretation) how the query checks it."""
    said, check = _condition_words(c, plan)
    return f"{said} ({check})" if how else said


def _condition_words(c: Related | Versus, plan: Plan) -> tuple[str, str]:
    if isinstance(c, Versus):
        name = words(c.column)
        table = c.column.table.split(".")[-1]
        if c.grouped:
            return (f"each group's average {name} is {ABOVE[c.op]} the overall average",
                    f"HAVING AVG({c.column.name}) {c.op} (SELECT AVG({c.column.name}) FROM "
                    f"{table})")
        every = rows_of(Table(c.column.table))
        return (f"{name} is {ABOVE[c.op]} the average {name} of all {every}",
                f"{c.column.name} {c.op} (SELECT AVG({c.column.name}) FROM {table})")
    what = rows_of(c.target or c.via)
    each = row_of(plan.subject)
    inner = Plan(c.via)
    when = "".join(f" ({describe_filter(f, inner)})" for f in c.filters)
    when += "".join(f" ({describe_filter(f, Plan(c.target))})" for f in c.target_filters
                    if c.target is not None)
    link = f"{c.via.name}.{c.fk.name} = {plan.subject.name}.{c.key.name}"
    if c.op == "=" and c.count == 0:
        return f"the {each} has no {what}{when}", f"NOT EXISTS a row of {c.via.id} with {link}"
    if (c.op, c.count) in ((">=", 1), (">", 0)):
        return f"the {each} has some {what}{when}", f"EXISTS a row of {c.via.id} with {link}"
    counted = f"distinct {c.counted.name}" if c.counted is not None else "rows"
    return (f"the {each} has {SAID[c.op]} {c.count} {what}{when}",
            f"counting {counted} of {c.via.id} with {link}")
