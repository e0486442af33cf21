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

from nl2sql.models.planner.catalog import Table
from nl2sql.models.planner.plan import Related, Versus
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
    where = exp.and_(exp.column(c.fk.name, table=inner).eq(names.col(c.key)),
                     *(condition(f, own, defensive) for f in c.filters))
    rows = exp.select(lit(1)).from_(table_node(c.via, inner)).where(where)
    if c.op == "=" and c.count == 0:
        return exp.Not(this=exp.Exists(this=rows))
    if (c.op, c.count) in ((">=", 1), (">", 0)):
        return exp.Exists(this=rows)
    counted = (exp.Count(this=exp.Distinct(expressions=[exp.column(c.counted.name, table=inner)]))
               if c.counted is not None else count_star())
    sub = exp.select(counted).from_(table_node(c.via, inner)).where(where)
    return compare(exp.Subquery(this=sub), c.op, lit(c.count))


ABOVE = {">": "above", ">=": "at or above", "<": "below", "<=": "at or below", "=": "equal to",
         "!=": "other than"}
SAID = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most", "=": "exactly",
        "!=": "other than"}


def describe(c: Related | Versus, subject: Table) -> str:
    """The condition in words, for the interpretation."""
    if isinstance(c, Versus):
        name = " ".join(c.column.words) or c.column.name
        table = c.column.table.split(".")[-1]
        said = ABOVE[c.op]
        if c.grouped:
            return (f"the group's average {name} {said} the overall average "
                    f"(HAVING AVG({c.column.name}) {c.op} (SELECT AVG({c.column.name}) FROM "
                    f"{table}))")
        return (f"{name} {said} the average {name} ({c.column.name} {c.op} "
                f"(SELECT AVG({c.column.name}) FROM {table}))")
    what = c.target or c.via
    rows = " ".join(what.words) + "s" if what.words else what.name
    how = (f"through {c.via.id} ({c.via.name}.{c.fk.name} = {subject.name}.{c.key.name})")
    when = "".join(f" in {f.values[0]}" if f.part == "YEAR" else
                   f" whose {f.column.name} is " + " or ".join(str(v) for v in f.values)
                   for f in c.filters)
    if c.op == "=" and c.count == 0:
        return f"with no {rows}{when} (NOT EXISTS {how})"
    if (c.op, c.count) in ((">=", 1), (">", 0)):
        return f"with some {rows}{when} (EXISTS {how})"
    return f"with {SAID[c.op]} {c.count} {rows}{when} (a count of {rows} per {subject.name}, {how})"
