"""The expressions of a planner query, as sqlglot trees: columns, time buckets, filters,
aggregates. ``sqlbuild`` assembles them into one SELECT; nothing here writes SQL text
except ``ident`` and ``literal``, which render a single name or value for other modules.

>>> from nl2sql.models.planner.catalog import Column
>>> c = Column("order", "STRING", "shop.items")
>>> condition(Filter(c, "=", ("a", "b")), Names({})).sql(dialect="bigquery")
"`order` IN ('a', 'b')"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlglot import exp, parse_one

from nl2sql.models.planner.catalog import Column, Table, has_name, label_columns
from nl2sql.models.planner.cues import Relative
from nl2sql.models.planner.plan import Filter, GroupKey, Measure, Plan

DIALECT = "bigquery"
AGG_ALIAS = {"AVG": "avg", "SUM": "total", "MIN": "min", "MAX": "max", "MEDIAN": "median"}
COMPARE: dict[str, type[exp.Binary]] = {"=": exp.EQ, "!=": exp.NEQ, ">": exp.GT, ">=": exp.GTE,
                                         "<": exp.LT, "<=": exp.LTE}
# Part of a text value (substrings.py's operators): the GoogleSQL function testing it
PART_OPS = {"contains": "STRPOS", "starts with": "STARTS_WITH", "ends with": "ENDS_WITH"}


@lru_cache(maxsize=4096)  # sqlglot's generator is costly to start; names repeat
def ident(name: str) -> str:
    """``name`` as a GoogleSQL identifier, quoted (and escaped) by sqlglot when it must be:
    reserved words and any name with a backtick or backslash in it (``c\\```) cannot
    break out of the identifier."""
    return exp.to_identifier(name).sql(dialect=DIALECT)


def literal(value: object) -> str:
    return lit(value).sql(dialect=DIALECT)


def lit(value: object) -> exp.Expr:
    """A value from the question or the data as a literal node (never spliced as text)."""
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(repr(value))
    return exp.Literal.string(str(value))


def date_of(iso: str) -> exp.Expr:
    """A DATE literal: ``DATE '2024-10-01'``."""
    return exp.cast(exp.Literal.string(iso), exp.DataType.build("DATE"))


def fn(name: str, *args: exp.Expr) -> exp.Expr:
    """A GoogleSQL function call, typed by sqlglot's BigQuery parser (DATE_TRUNC, COUNTIF)."""
    return exp.func(name, *args, dialect=DIALECT)


def count_star() -> exp.Expr:
    return exp.Count(this=exp.Star())


def compare(lhs: exp.Expr, op: str, rhs: exp.Expr) -> exp.Expr:
    return COMPARE[op](this=lhs, expression=rhs)


def table_node(table: Table, alias: str = "") -> exp.Table:
    """``project.dataset.table`` with each part quoted by sqlglot only where it must be."""
    parts = table.id.split(".")
    node = exp.Table(this=exp.to_identifier(parts[-1]),
                     db=exp.to_identifier(parts[-2]) if len(parts) > 1 else None,
                     catalog=exp.to_identifier(".".join(parts[:-2])) if len(parts) > 2 else None)
    if alias:
        node.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    return node


def slug(text: str) -> str:
    """An output name: ``DeptName`` -> ``dept_name``, ``'Tops & Tees'`` -> ``tops_tees``."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(text))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "value"


def entity_name(table: Table) -> str:
    """``order_items`` -> ``order_item``, ``dim_customer`` -> ``customer``."""
    return "_".join(table.words) or table.name


@dataclass
class Names:
    aliases: dict[str, str]  # table id -> alias ('' when there are no joins)

    def col(self, c: Column) -> exp.Column:
        return exp.column(c.name, table=self.aliases.get(c.table) or None)


@lru_cache(maxsize=512)
def _parsed(sql: str) -> exp.Expr:
    return parse_one(sql, read=DIALECT)


def qualified(sql: str, alias: str, others: dict[str, str] | None = None) -> exp.Expr:
    """A dataset's metric expression or rule, its bare columns prefixed by ``alias``;
    ``others``: another table's name it qualifies columns with -> that table's alias."""
    tree = _parsed(sql).copy()
    for c in tree.find_all(exp.Column):
        if c.table and others and c.table in others:  # products.cost: the joined table's
            c.set("table", exp.to_identifier(others[c.table]))
        elif alias and not c.table:
            c.set("table", exp.to_identifier(alias))
    return tree


def time_of(c: Column, names: Names, defensive: bool = False) -> exp.Expr:
    ref = names.col(c)
    if defensive or c.text:
        return exp.TryCast(this=ref, to=exp.DataType.build("TIMESTAMP", dialect=DIALECT))
    return ref


def num_of(c: Column, names: Names, defensive: bool = False) -> exp.Expr:
    ref = names.col(c)
    if defensive or not c.numeric:
        return exp.TryCast(this=ref, to=exp.DataType.build("FLOAT64", dialect=DIALECT))
    return ref


def extract(part: str, ts: exp.Expr) -> exp.Expr:
    return exp.Extract(this=exp.var(part), expression=ts)


def bucket(unit: str, ts: exp.Expr, within_year: bool = False) -> tuple[exp.Expr, str]:
    """A time bucket and its output name: years and hours as numbers, days as dates,
    months/quarters/weeks as their first day (or their number within one year)."""
    if unit in ("YEAR", "HOUR") or (within_year and unit in ("MONTH", "QUARTER", "WEEK")):
        return extract(unit, ts), unit.lower()
    if unit == "DAYOFWEEK":  # BigQuery's numbering: 1 = Sunday .. 7 = Saturday
        return extract(unit, ts), "day_of_week"
    if unit == "DAY":
        return fn("DATE", ts), "day"
    return fn("DATE_TRUNC", fn("DATE", ts), exp.var(unit)), unit.lower()


def group_exprs(g: GroupKey, plan: Plan, names: Names,
                defensive: bool) -> list[tuple[exp.Expr, str | None]]:
    """(expression, output name or None when only grouped) for one group key."""
    if g.entity is not None:
        target = g.entity.target
        # rows with no name column are told apart by their key ("Roadster", "Roadster")
        # (named for its table: a bare REGIONID is ambiguous beside STORE.REGIONID)
        key = g.entity.key.name
        bare = key.lower().startswith(f"{entity_name(target)}_") and not any(
            t is not target and t.column(key) is not None for t in plan.tables())
        key_shown = None if has_name(target) else (
            key if bare else f"{entity_name(target)}_{key}")
        out: list[tuple[exp.Expr, str | None]] = [(names.col(g.entity.key), key_shown)]
        for c in label_columns(target):
            named = c.words[:len(target.words)] == target.words  # product_name, not name
            out.append((names.col(c), c.name if named else f"{entity_name(target)}_{c.name}"))
        return out
    if g.unit is None:
        return [(names.col(g.column), g.column.name)]
    one_year = any(f.part == "YEAR" and f.op == "=" and len(f.values) == 1
                   for f in plan.filters if f.column is g.column)
    return [bucket(g.unit, time_of(g.column, names, defensive), one_year)]


def _median(x: exp.Expr) -> exp.Expr:
    """Exact median, per group: GoogleSQL's only median aggregate (APPROX_QUANTILES) is
    approximate and PERCENTILE_CONT is analytic, so: the mean of the middle one or two
    of the sorted non-null values."""
    def middle(index: exp.Expr) -> exp.Expr:
        ordered = exp.ArrayAgg(this=exp.Order(this=x.copy(), expressions=[
            exp.Ordered(this=x.copy(), nulls_first=True)]))
        return exp.Bracket(this=exp.IgnoreNulls(this=ordered),
                           expressions=[exp.IntDiv(this=index, expression=lit(2))],
                           offset=0, safe=True)
    # The parentheses are needed: sqlglot writes DuckDB's ``//`` without them.
    low = middle(exp.Paren(this=exp.Sub(this=exp.Count(this=x.copy()), expression=lit(1))))
    high = middle(exp.Count(this=x.copy()))
    return exp.Div(this=exp.Paren(this=exp.Add(this=low, expression=high)), expression=lit(2))


def measure_exprs(m: Measure, plan: Plan, names: Names,
                  defensive: bool) -> list[tuple[exp.Expr, str]]:
    """(expression, output name) for one measure; PCT also shows its two counts."""
    entity = entity_name(plan.subject)
    if m.func == "METRIC" and m.metric is not None:
        return [(qualified(m.metric.expression, names.aliases.get(plan.subject.id, ""),
                           m.metric.aliases(names.aliases)), slug(m.metric.name))]
    if m.func == "METRIC_SHARE" and m.metric is not None:
        return _metric_share(m, plan, names, defensive)
    if m.func == "COUNT":
        return [(count_star(), f"{entity}_count")]
    if m.func == "COUNT_DISTINCT" and m.column is not None:
        return [(exp.Count(this=exp.Distinct(expressions=[names.col(m.column)])),
                 f"distinct_{m.column.name}")]
    if m.func == "PCT":
        cond = exp.and_(*(condition(f, names, defensive) for f in m.condition))
        what = slug("_and_".join(_describe_values(f) for f in m.condition))  # all must hold
        hits = fn("COUNTIF", cond)
        return [(fn("SAFE_DIVIDE", exp.Mul(this=lit(100), expression=hits), count_star()),
                 f"percent_{what}"), (hits.copy(), f"{what}_count"),
                (count_star(), f"{entity}_count")]
    if m.func == "AVG_COUNT" and m.column is not None:
        ref = names.col(m.column)
        return [(fn("SAFE_DIVIDE", exp.Count(this=ref),
                    exp.Count(this=exp.Distinct(expressions=[ref.copy()]))),
                 f"avg_{entity}s_per_{m.column.name}")]
    if m.func == "SHARE":
        share = exp.Div(this=exp.Mul(this=lit(100), expression=count_star()),
                        expression=exp.Window(this=exp.Sum(this=count_star()), over="OVER"))
        return [(count_star(), f"{entity}_count"), (share, f"percent_of_{entity}s")]
    assert m.column is not None
    if m.since is not None and m.column is not None:  # durations.py
        return [_duration(m, names, defensive)]
    c = m.column
    if m.func == "MEDIAN":
        return [(_median(num_of(c, names, defensive)), f"median_{c.name}")]
    x = num_of(c, names, defensive) if m.func in ("AVG", "SUM") else names.col(c)
    agg = {"AVG": exp.Avg, "SUM": exp.Sum, "MIN": exp.Min, "MAX": exp.Max}[m.func]
    return [(agg(this=x), f"{AGG_ALIAS[m.func]}_{c.name}")]


def _metric_share(m: Measure, plan: Plan, names: Names,
                  defensive: bool) -> list[tuple[exp.Expr, str]]:
    """A defined SUM or COUNT metric's share: the part meeting ``m.condition`` over the
    whole (its value counted only where the condition holds: SUM(CASE WHEN .. THEN x END)),
    or each group's total over all groups'. The metric's own rules are in the WHERE clause,
    so they hold for both parts."""
    assert m.metric is not None
    whole = qualified(m.metric.expression, names.aliases.get(plan.subject.id, ""),
                      m.metric.aliases(names.aliases))
    name = slug(m.metric.name)
    if not m.condition:
        share = exp.Div(this=exp.Mul(this=lit(100), expression=whole.copy()),
                        expression=exp.Window(this=exp.Sum(this=whole.copy()), over="OVER"))
        return [(share, f"percent_of_{name}"), (whole, name)]  # the share is what was asked
    cond = exp.and_(*(condition(f, names, defensive) for f in m.condition))
    part = whole.copy()
    arg = part.this if not isinstance(part.this, exp.Star) else lit(1)
    if isinstance(arg, exp.Distinct):  # COUNT(DISTINCT x): the distinct x meeting it
        arg.set("expressions", [exp.Case(ifs=[exp.If(this=cond, true=e)])
                                for e in arg.expressions])
    else:
        part.set("this", exp.Case(ifs=[exp.If(this=cond, true=arg.copy())]))
    what = slug("_or_".join(_describe_values(f) for f in m.condition))
    return [(fn("SAFE_DIVIDE", exp.Mul(this=lit(100), expression=part), whole),
             f"percent_of_{name}_{what}"), (part.copy(), f"{name}_{what}"),
            (whole.copy(), name)]


def _duration(m: Measure, names: Names, defensive: bool) -> tuple[exp.Expr, str]:
    """The time from ``m.since`` to ``m.column``, aggregated: whole calendar days between
    their dates, or the exact hours/minutes/seconds between two timestamps."""
    assert m.column is not None and m.since is not None
    end, start = time_of(m.column, names, defensive), time_of(m.since, names, defensive)
    unit = m.unit or "DAY"
    if unit == "DAY":
        x: exp.Expr = fn("DATE_DIFF", fn("DATE", end), fn("DATE", start), exp.var("DAY"))
    else:
        x = exp.Div(this=fn("TIMESTAMP_DIFF", end, start, exp.var("SECOND")),
                    expression=lit({"HOUR": 3600, "MINUTE": 60}.get(unit, 1)))
    agg = _median(x) if m.func == "MEDIAN" else {
        "AVG": exp.Avg, "SUM": exp.Sum, "MIN": exp.Min, "MAX": exp.Max}[m.func](this=x)
    return agg, f"{AGG_ALIAS[m.func]}_{unit.lower()}s_{m.since.name}_to_{m.column.name}"


def _describe_values(f: Filter) -> str:
    if not f.values:
        return f.column.name
    if isinstance(f.values[0], bool):
        return f.column.name if f.values[0] else f"not_{f.column.name}"
    return "_or_".join(str(v) for v in f.values)


def relative_date(when: Relative) -> exp.Expr:
    """Today moved by ``when`` (last year: CURRENT_DATE() - 1 YEAR)."""
    return fn("DATE_ADD", exp.CurrentDate(),
              exp.Interval(this=lit(when.offset), unit=exp.var(when.unit)))


def condition(f: Filter, names: Names, defensive: bool = False) -> exp.Expr:
    """One filter as a boolean expression."""
    when = f.values[0] if f.values and isinstance(f.values[0], Relative) else None
    if when is not None:
        ts = time_of(f.column, names, defensive)
        if f.part == "YEAR":
            this: exp.Expr = extract("YEAR", exp.CurrentDate())
            if when.offset:
                this = exp.Add(this=this, expression=lit(when.offset)) if when.offset > 0 \
                    else exp.Sub(this=this, expression=lit(-when.offset))
            return compare(extract("YEAR", ts), f.op, this)
        if f.part == "MONTH_START":
            return compare(fn("DATE_TRUNC", fn("DATE", ts), exp.var("MONTH")), f.op,
                           fn("DATE_TRUNC", relative_date(when), exp.var("MONTH")))
        return compare(fn("DATE", ts), f.op, relative_date(when))
    if f.part in ("MONTH_START", "QUARTER_START"):  # the months or quarters starting on
        start = fn("DATE_TRUNC", fn("DATE", time_of(f.column, names, defensive)),
                   exp.var(f.part.split("_")[0]))
        return exp.In(this=start, expressions=[date_of(str(v)) for v in f.values])
    if f.part == "DATE":  # a day of an explicit date range (ranges.py)
        return compare(fn("DATE", time_of(f.column, names, defensive)), f.op,
                       date_of(str(f.values[0])))
    lhs: exp.Expr = names.col(f.column) if f.part is None else extract(
        f.part, time_of(f.column, names, defensive))
    if f.op in ("IS NULL", "IS NOT NULL"):
        null = exp.Is(this=lhs, expression=exp.Null())
        return null if f.op == "IS NULL" else exp.Not(this=null)
    if len(f.values) > 1 and f.op in ("=", "!="):
        among = exp.In(this=lhs, expressions=[lit(v) for v in f.values])
        return among if f.op == "=" else exp.Not(this=among)
    value = f.values[0]
    if f.op in PART_OPS:  # substrings.py: part of a text, in any case (SQL LIKE's '%' is
        # not needed, so a '%' or '_' in the question's text is plain text)
        part = fn(PART_OPS[f.op], fn("LOWER", lhs), lit(str(value).lower()))
        return exp.GT(this=part, expression=lit(0)) if f.op == "contains" else part
    if isinstance(value, bool):
        truth = exp.Is(this=lhs, expression=lit(value))
        return truth if f.op == "=" else exp.Not(this=truth)
    return compare(lhs, f.op, lit(value))
