"""Answer text: the numbers, and where they come from (table, columns, filters).

>>> fmt(1234), fmt(59.8765), fmt(0.01234), fmt(None)
('1,234', '59.88', '0.01234', 'none')
"""

from __future__ import annotations

import re
from typing import Any

from nl2sql.models.planner.catalog import Catalog, Column, Table, label_columns
from nl2sql.models.planner.cues import Relative
from nl2sql.models.planner.durations import label as duration_label
from nl2sql.models.planner.periods import describe
from nl2sql.models.planner.plan import Filter, Measure, Plan
from nl2sql.models.planner.units import unit_of
from nl2sql.models.planner.words import (
    ABBREVIATIONS,
    plural_phrase,
    readable,
    singular_phrase,
    split_name,
)
from nl2sql.presentation.numbers import format_number, two_decimals

SHOWN_GROUPS = 5
# Numeric columns nobody averages: positions and sequence numbers.
NOT_MEASURES = frozenset({"latitude", "longitude", "lat", "lon", "lng", "sequence", "zip",
                          "postal", "code", "year"})
AGG_WORDS = {"AVG": "average", "SUM": "total", "MIN": "minimum", "MAX": "maximum",
             "COUNT_DISTINCT": "number of distinct", "MEDIAN": "median"}  # fmt: skip


def noun_of(table: Table) -> str:
    """What a table's rows are called: ``dim_customer`` -> ``customer``."""
    return "_".join(table.words) or table.name


def rows_of(table: Table) -> str:
    """A table's rows in a sentence: ``users``, ``people``; ``rows in t_1`` for a name
    that is no word."""
    if not readable(table.words):
        return f"rows in {table.name}"
    return plural_phrase(noun_of(table))


def row_of(table: Table) -> str:
    """One row of a table in a sentence: ``user``; ``row in t_1``."""
    if not readable(table.words):
        return f"row in {table.name}"
    return singular_phrase(noun_of(table))


def fmt(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        # The page's rule (nl2sql.presentation): an amount reads with two decimals.
        return format_number(v, fixed=two_decimals([v]))
    return str(v)


def words(c: Column) -> str:
    """``created_at`` -> ``created``, ``traffic_source`` -> ``traffic source``,
    ``fare_amt`` -> ``fare amount``, ``dist_km`` -> ``distance (km)``."""
    return name_text(c.name)


def unit_words(unit: str) -> str:
    """A time bucket as said: ``month``, ``day of the week, 1 = Sunday``."""
    return "day of the week, 1 = Sunday" if unit == "DAYOFWEEK" else unit.lower()


def name_text(name: str) -> str:
    """An identifier as words, abbreviations spelled out: ``yrs_exp`` -> ``years experience``."""
    parts = split_name(name)
    unit = unit_of(name) and parts.pop()  # "duration (minutes)", "weight (kg)": units.py
    parts = [_spelled(p) for p in parts if p not in ("at", "on") or len(parts) == 1]
    return " ".join(parts) + (f" ({unit})" if unit else "")


def _spelled(part: str) -> str:
    full = ABBREVIATIONS.get(part)
    if full is None:
        return part
    return plural_phrase(full) if part.endswith("s") and not full.endswith("s") else full


def describe_filter(f: Filter, plan: Plan) -> str:
    where = "" if f.column.table == plan.subject.id else f" (in {f.column.table})"
    name = words(f.column)
    if f.values and isinstance(f.values[0], Relative):
        return f"{name} {_when(f.values[0], f.op)}"
    if f.part == "YEAR":
        op = {"=": "in", ">=": "in or after", ">": "after", "<": "before", "<=": "in or before"}
        return f"{name} {op.get(f.op, f.op)} {' or '.join(str(v) for v in f.values)}"
    if f.part == "DATE":  # ranges.py
        return f"{name} {'from' if f.op == '>=' else 'before'} {f.values[0]}"
    if f.part == "MONTH":
        return f"{name} in month {', '.join(str(v) for v in f.values)}"
    if f.part == "QUARTER":
        return f"{name} in {' or '.join(f'Q{v}' for v in f.values)}"
    if f.op in ("IS NULL", "IS NOT NULL"):
        return f"{name} {'not ' if f.op == 'IS NULL' else ''}set{where}"
    if f.values and isinstance(f.values[0], bool):
        return f"{name} {'true' if f.values[0] == (f.op == '=') else 'false'}{where}"
    years = f.column.words[-1:] == ("year",) and all(  # 1960, not 1,960; before, not below
        isinstance(v, int) and 1000 < v < 3000 for v in f.values)
    vals = " or ".join(f"'{v}'" if isinstance(v, str) else str(v) if years else fmt(v)
                       for v in f.values)
    verb = {"=": "", "!=": "not ", ">": "above ", ">=": "at least ", "<": "below ",
            "<=": "at most "}.get(f.op, f.op + " ")
    if years:
        verb = {">": "after ", ">=": "in or after ", "<": "before ",
                "<=": "in or before "}.get(f.op, verb)
    return f"{name} {verb}{vals}{where}"


def _when(when: Relative, op: str) -> str:
    unit = when.unit.lower()
    if op == ">=":
        return f"in the last {-when.offset} {unit}s"
    if when.unit == "DAY":
        return "today" if when.offset == 0 else ("yesterday" if when.offset == -1
                                                   else f"{-when.offset} days ago")
    return f"this {unit}" if when.offset == 0 else (f"last {unit}" if when.offset == -1
                                                   else f"{-when.offset} {unit}s ago")


def source(plan: Plan) -> str:
    parts = [plan.subject.id]
    for j in plan.joins:
        parts[-1] += f" joined to {j.target.id} on {j.fk.name} = {j.key.name}"
    cols = sorted({f.column.name for f in plan.filters})
    if cols:
        parts.append("filtered on " + ", ".join(cols))
    if plan.groups:
        parts.append("grouped by " + ", ".join(
            (g.entity.target.name if g.entity else g.column.name)
            + (f" ({unit_words(g.unit)})" if g.unit else "") for g in plan.groups))
    if plan.having:
        parts.append("only groups with " + " and ".join(
            f"{op} {n} {rows_of(plan.subject)}" for op, n in plan.having))
    return "(" + "; ".join(parts) + ")"


def measure_label(plan: Plan) -> str:
    m = plan.measures[0]
    noun = rows_of(plan.subject)
    if m.func == "COUNT":
        return f"number of {noun}"
    if m.func == "METRIC_SHARE" and m.metric is not None:
        part = " and ".join(describe_filter(f, plan) for f in m.condition)
        return f"share of {name_text(m.metric.name)}" + (f" from {part}" if part else "")
    if m.func in ("PCT", "SHARE"):
        return f"percentage of {noun}"
    if m.func == "AVG_COUNT" and m.column is not None:
        return f"average number of {noun} per {words(m.column)}"
    if m.metric is not None:
        return name_text(m.metric.name)
    assert m.column is not None
    if m.since is not None:
        return f"{AGG_WORDS[m.func]} {duration_label(m)}"
    return f"{AGG_WORDS[m.func]} {words(m.column)}"


def answer_text(plan: Plan, columns: list[str], rows: list[list[Any]], truncated: bool,
                conditions: tuple[str, ...] = (), total: int | None = None) -> str:
    """``conditions``: the set conditions in words ("the user has no orders"), which must
    be said with the number they qualify. ``total``: how many rows the result has when
    ``rows`` are only its first ones (the model sees 30): counts are said of the result."""
    total = max(total or 0, len(rows))
    noun = rows_of(plan.subject)
    filters = [describe_filter(f, plan) for f in plan.filters if f.part is None]
    dates = [describe_filter(f, plan) for f in plan.filters if f.part is not None]
    cond = (" with " + " and ".join(filters)) if filters else ""
    if dates:  # "created in 2023", but "with full date in 2023"
        verb = all(f.column.words[:1] and (f.column.words[0].endswith("ed") or (
                       split_name(f.column.name)[-1:] in (["at"], ["on"])))  # sold_at
                   for f in plan.filters if f.part is not None)
        cond += (" " if verb else " and " if filters else " with ") + " and ".join(dates)
    src = source(plan)
    if conditions:  # said in every kind of answer: "(shop.users; where the user has no orders)"
        src = src[:-1] + "; where " + " and ".join(conditions) + ")"
    if not rows:
        return f"No {noun} match{cond}. {src}"
    if plan.periods is not None and plan.measures:
        return _periods_text(plan, columns, rows, src)
    if plan.rows:
        return _rows_text(plan, columns, rows, src, _counted(total, truncated))
    if plan.groups:
        return _groups_text(plan, columns, rows, _counted(total, truncated), cond, src)
    row = rows[0]
    m = plan.measures[0]
    if m.func == "COUNT":
        if row[0] == 1:  # "There is 1 patient", not "There are 1 patients"
            return f"There is 1 {row_of(plan.subject)}{cond} {src}."
        return f"There are {fmt(row[0])} {noun}{cond} {src}."
    if m.func == "PCT":
        what = " and ".join(describe_filter(f, plan) for f in m.condition)
        base = [describe_filter(f, plan) for f in plan.filters]
        among = f" (among {noun} with {' and '.join(base)})" if base else ""
        return (f"{fmt(row[0])}% of {noun}{among} have {what}: {fmt(row[1])} of "
                f"{fmt(row[2])} {src}.")
    if m.func == "METRIC_SHARE" and m.metric is not None and m.condition:
        what = " and ".join(describe_filter(f, plan) for f in m.condition)
        name = name_text(m.metric.name)
        rules = (" (" + "; ".join(m.metric.filters) + ")") if m.metric.filters else ""
        return (f"{fmt(row[0])}% of {name}{cond} comes from {noun} with {what}: "
                f"{fmt(row[1])} of {fmt(row[2])}{rules} {src}.")
    if m.func == "AVG_COUNT" and m.column is not None:
        per = " ".join(m.column.words) if m.column.is_key else words(m.column)  # user, not user id
        return f"On average there are {fmt(row[0])} {noun} per {per}{cond} {src}."
    if m.func == "COUNT_DISTINCT" and m.column is not None:
        return (f"There are {fmt(row[0])} distinct {words(m.column)} values among "
                f"{noun}{cond} {src}.")
    if m.metric is not None:  # a defined metric, said by its name and rule
        rules = (" (" + "; ".join(m.metric.filters) + ")") if m.metric.filters else ""
        return (f"The {name_text(m.metric.name)}{cond} is {fmt(row[0])}{rules} "
                f"{src}.")
    said: list[str] = []
    for i, mm in enumerate(plan.measures):
        if mm.column is None or i >= len(row):
            continue
        what = (f"{AGG_WORDS.get(mm.func, mm.func.lower())} "
                f"{duration_label(mm) if mm.since else words(mm.column)}")
        said.append(f"the {what} of {noun}{cond} is {fmt(row[i])}" if not said
                    else f"the {what} is {fmt(row[i])}")
    text = " and ".join(said)
    return f"{text[:1].upper()}{text[1:]} {src}."


def _counted(total: int, truncated: bool) -> tuple[int, str]:
    """The result's row count and '+' when the warehouse cut it (there are more still)."""
    return total, "+" if truncated else ""


def _groups_text(plan: Plan, columns: list[str], rows: list[list[Any]], count: tuple[int, str],
                 cond: str, src: str) -> str:
    n_keys = len(columns) - sum(len(_measure_columns(m)) for m in plan.measures)
    n_keys = max(1, min(n_keys, len(columns) - 1))
    shown = rows[:SHOWN_GROUPS]
    items = []
    for r in shown:
        key = " / ".join(_key(v) for v in r[:n_keys])
        items.append(f"{key}: {fmt(r[n_keys])}" if n_keys < len(r) else key)
    label = measure_label(plan)
    by = ", ".join(name_text(c) for c in columns[:n_keys])
    more = ""
    if count[0] > len(shown):
        more = f" (and {count[0] - len(shown)}{count[1]} more)"
    if plan.ranked:
        if plan.limit == 1 and len(rows) == 1:
            return (f"{_key(rows[0][0])} has the {'highest' if plan.desc else 'lowest'} "
                    f"{label}{cond}: {fmt(rows[0][n_keys])} {src}.")
        kind = "Top" if plan.desc else "Bottom"
        things = plural_phrase(columns[0]) if n_keys == 1 else by
        return f"{kind} {count[0]} {things} by {label}{cond}: " + "; ".join(items) + f" {src}."
    return f"{label.capitalize()}{cond} by {by}: " + "; ".join(items) + more + f" {src}."


def _periods_text(plan: Plan, columns: list[str], rows: list[list[Any]], src: str) -> str:
    """Each period's value and its change, or the change from one period to the other."""
    spec = plan.periods
    assert spec is not None
    label = measure_label(plan)
    at = {c: i for i, c in enumerate(columns)}
    change = next((c for c in columns if c.endswith("_change") and "_percent_" not in c), "")
    pct = change[:-len("_change")] + "_percent_change" if change else ""
    if spec.kind == "growth" or change not in at or pct not in at:
        if len(rows) == 1 and change in at and pct in at:
            old, new = spec.periods[0].label, spec.periods[-1].label
            r = rows[0]
            return (f"The {label} went from {fmt(r[at[change] - 2])} in {old} to "
                    f"{fmt(r[at[change] - 1])} in {new}: a change of {fmt(r[at[change]])} "
                    f"({fmt(r[at[pct]])}%) {src}.")
        return f"The {label}, {describe(spec)}: {len(rows)} rows {src}."
    value = at.get(change[:-len("_change")], 1)
    items = []
    for r in rows[:SHOWN_GROUPS * 3]:
        step = "" if r[at[pct]] is None else f" ({'+' if r[at[pct]] > 0 else ''}" \
            f"{fmt(r[at[pct]])}%)"
        keys = " / ".join(_key(v) for v in r[:value])
        items.append(f"{keys}: {fmt(r[value])}{step}")
    more = f" (and {len(rows) - len(items)} more)" if len(rows) > len(items) else ""
    return (f"{label.capitalize()}, {describe(spec)} (percent change in brackets): "
            + "; ".join(items) + more + f" {src}.")


def _key(v: Any) -> str:
    """A group key: years and codes as written, not as quantities; midnight dropped."""
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00(\.0+)?", v):
        return v[:10]
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else fmt(v)


def _measure_columns(m: Measure) -> list[int]:
    if m.func == "PCT" or (m.func == "METRIC_SHARE" and m.condition):
        return [0, 1, 2]  # the percentage, its part, the whole
    return [0, 1] if m.func in ("SHARE", "METRIC_SHARE") else [0]


def _rows_text(plan: Plan, columns: list[str], rows: list[list[Any]], src: str,
               count: tuple[int, str]) -> str:
    col = plan.order_column
    noun = rows_of(plan.subject)
    if plan.distinct and len(plan.rows) == 1:  # "19 medications", not "19 prescriptions"
        noun = plural_phrase(plan.rows[0].name)
    if col is None:
        shown = [" ".join(fmt(v) for v in r) for r in rows[:10]]
        more = f" and {count[0] - len(shown)}{count[1]} more" if count[0] > len(shown) else ""
        return f"{count[0]}{count[1]} {noun}: " + "; ".join(shown) + f"{more} {src}."
    what = words(col) if col else "value"
    held = next((t for t in plan.tables() if t.id == col.table), None)
    if held is not None and held is not plan.subject:  # "the owner with the highest dog age"
        what = f"{row_of(held)} {what}"
    sup = "highest" if plan.desc else "lowest"

    def one(r: list[Any]) -> str:
        if len(r) == 1:  # sorted by the label shown: "Chicago IL", not "(unnamed) (name ...)"
            return fmt(r[0])
        label = " ".join(fmt(v) for v in r[:-1]) or "(unnamed)"
        return f"{label} ({what} {fmt(r[-1])})"

    if plan.limit is None:  # a sorted listing, not a ranking
        shown = [one(r) for r in rows[:10]]
        more = f" and {count[0] - len(shown)}{count[1]} more" if count[0] > len(shown) else ""
        way = "descending" if plan.desc else "ascending"
        return (f"{count[0]}{count[1]} {noun}, by {what} {way}: "
                + "; ".join(shown) + f"{more} {src}.")
    if len(rows) == 1:
        return (f"The {row_of(plan.subject)} with the {sup} {what} is "
                f"{one(rows[0])} {src}.")
    return f"The {len(rows)} {noun} with the {sup} {what}: " + "; ".join(
        one(r) for r in rows) + f" {src}."


def decline_text(reason: str, catalog: Catalog, mentioned: list[Table]) -> str:
    examples = suggestions(catalog, mentioned)
    text = f"I cannot answer that from the data I can see: {reason}."
    if examples:
        text += " I can answer questions such as: " + "; ".join(f'"{e}"' for e in examples) + "."
    return text


def suggestions(catalog: Catalog, mentioned: list[Table], n: int = 4) -> list[str]:
    """Example questions built from the metadata seen this round."""
    tables = [t for t in mentioned if t.columns is not None] or sorted(
        catalog.fetched() or list(catalog.tables.values()),
        key=lambda t: (-sum(bool(c.examples) for c in t.columns or []), -(t.row_count or 0)))
    tables = [t for t in tables if readable(t.words)]  # not "How many t 1s are there?"
    out: list[str] = []
    for t in tables[:3]:
        noun = plural_phrase(noun_of(t))
        out.append(f"How many {noun} are there?")
        cols = t.columns or []
        grouped = next((c for c in cols if c.examples and c not in label_columns(t)), None)
        if grouped is not None:
            out.append(f"{noun.capitalize()} by {words(grouped)}")
        measured = next((c for c in cols if c.numeric and not c.is_key
                         and not set(c.words) & NOT_MEASURES), None)
        if measured is not None:
            out.append(f"What is the average {words(measured)} of {noun}?")
    return out[:n]
