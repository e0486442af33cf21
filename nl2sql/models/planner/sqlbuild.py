"""Plan -> one GoogleSQL query, with fully qualified tables and readable aliases.

>>> from sqlglot import exp

from nl2sql.models.planner.catalog import Column, Table
>>> t = Table("shop.orders")
>>> t.columns = [Column("status", "STRING", "shop.orders")]
>>> to_sql(Plan(t, [Measure("COUNT")], filters=[Filter(t.columns[0], "=", ("Paid",))]))
"SELECT COUNT(*) AS order_count\\nFROM shop.orders\\nWHERE status = 'Paid'"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlglot import exp

from nl2sql.models.planner.catalog import Column, Table, key_column, label_columns
from nl2sql.models.planner.knowledge import qualified
from nl2sql.models.planner.parse import Relative
from nl2sql.models.planner.plan import Filter, GroupKey, Measure, Plan
from nl2sql.models.planner.sets import condition_sql
from nl2sql.models.planner.words import split_name

AGG_ALIAS = {"AVG": "avg", "SUM": "total", "MIN": "min", "MAX": "max", "MEDIAN": "median"}
LOOKUP_MAX_COLUMNS = 40


@lru_cache(maxsize=4096)  # sqlglot's generator is costly to start; names repeat
def ident(name: str) -> str:
    """``name`` as a GoogleSQL identifier, quoted (and escaped) by sqlglot when it must be:
    reserved words and any name with a backtick or backslash in it (``c\\```) cannot
    break out of the identifier."""
    return exp.to_identifier(name).sql(dialect="bigquery")


def table_ref(table: Table) -> str:
    return ".".join(ident(p) for p in table.id.split("."))


def literal(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return exp.Literal.string(str(value)).sql(dialect="bigquery")


def slug(text: str) -> str:
    """An output name: ``DeptName`` -> ``dept_name``, ``'Tops & Tees'`` -> ``tops_tees``."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(text))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "value"


def entity_name(table: Table) -> str:
    """``order_items`` -> ``order_item``, ``dim_customer`` -> ``customer``."""
    return "_".join(table.words) or table.name


@dataclass
class _Names:
    aliases: dict[str, str]  # table id -> alias ('' when there are no joins)

    def col(self, c: Column) -> str:
        alias = self.aliases.get(c.table, "")
        return f"{alias}.{ident(c.name)}" if alias else ident(c.name)


def _aliases(plan: Plan) -> dict[str, str]:
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


def to_sql(plan: Plan, defensive: bool = False) -> str:
    """The query for ``plan``; ``defensive`` adds casts, for a second attempt after an error."""
    names = _Names(_aliases(plan))
    select: list[str] = []
    group_by: list[str] = []
    order: list[str] = []
    used: set[str] = set()
    # With joins, an output name that is also a column of a joined table makes ORDER BY
    # ambiguous on some engines: such names get their table's name in front.
    columns = {c.name.lower() for t in plan.tables() for c in t.columns or []} if plan.joins \
        else set()

    def alias(name: str, table: Table | None = None) -> str:
        base, n = slug(name), 2
        if table is not None and base in columns:
            base = slug(f"{entity_name(table)}_{base}")
        out = base
        while out in used or (out != slug(name) and out in columns):
            out, n = f"{base}_{n}", n + 1
        used.add(out)
        return out

    time_aliases: list[str] = []
    group_aliases: list[str] = []
    for g in plan.groups:
        source = next((t for t in plan.tables() if t.id == g.column.table), None)
        for expr, name, grouped in _group_exprs(g, plan, names, defensive):
            if name is not None:
                a = alias(name, source if g.unit is None and g.entity is None else None)
                select.append(f"{expr} AS {ident(a)}")
                (time_aliases if g.unit else group_aliases).append(ident(a))
            if grouped:
                group_by.append(expr)
    measure_aliases: list[str] = []
    for m in plan.measures:
        for expr, name in _measure_exprs(m, plan, names, defensive):
            a = alias(name)
            select.append(f"{expr} AS {ident(a)}")
            measure_aliases.append(ident(a))
    where = [_condition(f, names, defensive) for f in plan.filters]
    where += [qualified(rule, names.aliases.get(plan.subject.id, ""))  # a metric's own rules
              for m in plan.measures if m.metric is not None for rule in m.metric.filters]
    taken = set(names.aliases.values())
    subqueries = [(getattr(c, "grouped", False), condition_sql(  # sets.py
        c, names.aliases, taken, lambda f, a: _condition(f, _Names({f.column.table: a}),
                                                        defensive))) for c in plan.conditions]
    where += [sql for grouped, sql in subqueries if not grouped]
    if plan.rows:
        for c in plan.rows:
            a = alias(c.name)
            select.append(f"{names.col(c)} AS {ident(a)}" if a != c.name or names.aliases.get(
                c.table) else ident(c.name))
        if plan.order_column is not None:
            if plan.limit is not None:  # the top rows by a value that is set
                where.append(f"{names.col(plan.order_column)} IS NOT NULL")
            order.append(f"{names.col(plan.order_column)} {'DESC' if plan.desc else 'ASC'}")
            order += [names.col(c) for c in plan.rows if c is not plan.order_column]
        else:
            order += [names.col(c) for c in plan.rows]
    elif plan.ranked and measure_aliases:
        order.append(f"{measure_aliases[0]} {'DESC' if plan.desc else 'ASC'}")
        order += time_aliases + group_aliases
    elif time_aliases:
        order += time_aliases + group_aliases
    elif group_aliases and measure_aliases:
        order += [f"{measure_aliases[0]} DESC", *group_aliases]
    lines = ["SELECT " + ", ".join(select), "FROM " + _from(plan, names)]
    if where:
        lines.append("WHERE " + " AND ".join(where))
    if group_by:
        lines.append("GROUP BY " + ", ".join(group_by))
        having = [f"COUNT(*) {op} {literal(n)}" for op, n in plan.having]
        having += [sql for grouped, sql in subqueries if grouped]
        if having:  # a condition on each group's count of rows, or its average
            lines.append("HAVING " + " AND ".join(having))
    if order:
        lines.append("ORDER BY " + ", ".join(order))
    if plan.limit is not None and (plan.rows or plan.ranked):
        lines.append(f"LIMIT {int(plan.limit)}")
    return "\n".join(lines)


def _from(plan: Plan, names: _Names) -> str:
    s = plan.subject
    out = table_ref(s) + (f" AS {names.aliases[s.id]}" if names.aliases.get(s.id) else "")
    for j in plan.joins:
        out += (f"\nJOIN {table_ref(j.target)} AS {names.aliases[j.target.id]} "
                f"ON {names.col(j.fk)} = {names.col(j.key)}")
    return out


def _time(c: Column, names: _Names, defensive: bool) -> str:
    ref = names.col(c)
    return f"SAFE_CAST({ref} AS TIMESTAMP)" if defensive or c.text else ref


def _group_exprs(g: GroupKey, plan: Plan, names: _Names,
                 defensive: bool) -> list[tuple[str, str | None, bool]]:
    """(expression, output name or None, grouped?) for one group key."""
    if g.entity is not None:
        target = g.entity.target
        out: list[tuple[str, str | None, bool]] = [(names.col(g.entity.key), None, True)]
        for c in label_columns(target):
            named = c.words[:len(target.words)] == target.words  # product_name, not name
            out.append((names.col(c), c.name if named else f"{entity_name(target)}_{c.name}",
                        True))
        return out
    if g.unit is None:
        return [(names.col(g.column), g.column.name, True)]
    ts = _time(g.column, names, defensive)
    one_year = any(f.part == "YEAR" and f.op == "=" and len(f.values) == 1
                   for f in plan.filters if f.column is g.column)
    unit = g.unit
    if unit == "YEAR":
        return [(f"EXTRACT(YEAR FROM {ts})", "year", True)]
    if unit == "HOUR":
        return [(f"EXTRACT(HOUR FROM {ts})", "hour", True)]
    if unit == "DAY":
        return [(f"DATE({ts})", "day", True)]
    if one_year and unit in ("MONTH", "QUARTER", "WEEK"):
        return [(f"EXTRACT({unit} FROM {ts})", unit.lower(), True)]
    return [(f"DATE_TRUNC(DATE({ts}), {unit})", unit.lower(), True)]


def _num(c: Column, names: _Names, defensive: bool) -> str:
    ref = names.col(c)
    return f"SAFE_CAST({ref} AS FLOAT64)" if defensive or not c.numeric else ref


def _measure_exprs(m: Measure, plan: Plan, names: _Names,
                   defensive: bool) -> list[tuple[str, str]]:
    entity = entity_name(plan.subject)
    if m.func == "METRIC" and m.metric is not None:
        return [(qualified(m.metric.expression, names.aliases.get(plan.subject.id, "")),
                 slug(m.metric.name))]
    if m.func == "COUNT":
        return [("COUNT(*)", f"{entity}_count")]
    if m.func == "COUNT_DISTINCT" and m.column is not None:
        return [(f"COUNT(DISTINCT {names.col(m.column)})", f"distinct_{m.column.name}")]
    if m.func == "PCT":
        cond = " AND ".join(_condition(f, names, defensive) for f in m.condition)
        what = slug("_or_".join(_describe_values(f) for f in m.condition))
        return [(f"SAFE_DIVIDE(100 * COUNTIF({cond}), COUNT(*))", f"percent_{what}"),
                (f"COUNTIF({cond})", f"{what}_count"), ("COUNT(*)", f"{entity}_count")]
    if m.func == "AVG_COUNT" and m.column is not None:
        ref = names.col(m.column)
        return [(f"SAFE_DIVIDE(COUNT({ref}), COUNT(DISTINCT {ref}))",
                 f"avg_{entity}s_per_{m.column.name}")]
    if m.func == "SHARE":
        return [("COUNT(*)", f"{entity}_count"),
                ("100 * COUNT(*) / SUM(COUNT(*)) OVER ()", f"percent_of_{entity}s")]
    assert m.column is not None
    c = m.column
    expr = _num(c, names, defensive) if m.func in ("AVG", "SUM", "MEDIAN") else names.col(c)
    if m.func == "MEDIAN":
        # Exact: GoogleSQL's only median aggregate (APPROX_QUANTILES) is approximate, and
        # PERCENTILE_CONT is analytic; the middle of the sorted values works per group.
        ordered = f"ARRAY_AGG({expr} IGNORE NULLS ORDER BY {expr})"
        return [(f"({ordered}[SAFE_OFFSET(DIV((COUNT({expr}) - 1), 2))] + "
                 f"{ordered}[SAFE_OFFSET(DIV(COUNT({expr}), 2))]) / 2", f"median_{c.name}")]
    return [(f"{m.func}({expr})", f"{AGG_ALIAS[m.func]}_{c.name}")]


def _describe_values(f: Filter) -> str:
    if not f.values:
        return f.column.name
    if f.values and isinstance(f.values[0], bool):
        return f.column.name if f.values[0] else f"not_{f.column.name}"
    return "_or_".join(str(v) for v in f.values)


def _relative(when: Relative) -> str:
    return f"DATE_ADD(CURRENT_DATE(), INTERVAL {when.offset} {when.unit})"


def _condition(f: Filter, names: _Names, defensive: bool) -> str:
    when = f.values[0] if f.values and isinstance(f.values[0], Relative) else None
    if when is not None:
        ts = _time(f.column, names, defensive)
        if f.part == "YEAR":
            this = "EXTRACT(YEAR FROM CURRENT_DATE())"
            shift = f" - {-when.offset}" if when.offset < 0 else (
                f" + {when.offset}" if when.offset else "")
            return f"EXTRACT(YEAR FROM {ts}) {f.op} {this}{shift}"
        if f.part == "MONTH_START":
            return (f"DATE_TRUNC(DATE({ts}), MONTH) {f.op} "
                    f"DATE_TRUNC({_relative(when)}, MONTH)")
        return f"DATE({ts}) {f.op} {_relative(when)}"
    if f.part is not None:
        lhs = f"EXTRACT({f.part} FROM {_time(f.column, names, defensive)})"
    else:
        lhs = names.col(f.column)
    if f.op in ("IS NULL", "IS NOT NULL"):
        return f"{lhs} {f.op}"
    if len(f.values) > 1 and f.op in ("=", "!="):
        values = ", ".join(literal(v) for v in f.values)
        return f"{lhs} {'IN' if f.op == '=' else 'NOT IN'} ({values})"
    value = f.values[0]
    if isinstance(value, bool):
        return f"{lhs} IS {'TRUE' if value else 'FALSE'}" if f.op == "=" else (
            f"{lhs} IS NOT {'TRUE' if value else 'FALSE'}")
    return f"{lhs} {f.op} {literal(value)}"


def lookup_sql(phrases: list[str], tables: list[Table],
               stems: list[str] | None = None) -> str | None:
    """A query finding which text columns hold any of ``phrases`` (case-insensitive), or
    a value starting like one of ``stems`` ("Norwegian" ~ 'Norway'; ``match`` decides)."""
    wanted = ", ".join(literal(p) for p in phrases)
    parts = []
    for t in tables:
        for c in t.columns or []:
            if not c.text or c.is_key or c is key_column(t):
                continue
            col = f"LOWER({ident(c.name)})"
            cond = [f"{col} IN ({wanted})"] + [
                f"STARTS_WITH({col}, {literal(w[:4])})" for w in stems or []]
            parts.append(
                f"SELECT {literal(f'{t.id}.{c.name}')} AS column_name, {ident(c.name)} AS "
                f"matched_value, COUNT(*) AS row_count FROM {table_ref(t)} "
                f"WHERE {' OR '.join(cond)} GROUP BY 2"
            )
    if not parts or not phrases:
        return None
    return "\nUNION ALL ".join(parts[:LOOKUP_MAX_COLUMNS]) + "\nORDER BY row_count DESC\nLIMIT 100"
