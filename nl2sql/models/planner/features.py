"""The builder's features: value filters, dates, comparisons and percentages (rankings:
``ranking``).

Functions of the builder (``build._Builder``) that run after the phrases' roles are
read: they add value and flag filters, time filters, numeric comparisons and percentage
measures.
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Column, time_column
from nl2sql.models.planner.cues import EQUAL_WORDS, is_year
from nl2sql.models.planner.eventdates import event_time
from nl2sql.models.planner.events import event_verbs, event_year_column
from nl2sql.models.planner.flags import flag_filter
from nl2sql.models.planner.match import Piece, Reading
from nl2sql.models.planner.plan import Filter, Measure

# The builder (build._Builder) passed in; not imported, so the modules form no cycle.
_Builder = Any

DEFAULT_TOP = 10


class Unanswerable(Exception):
    pass


def dates(b: _Builder) -> None:
    if b.dates_used:
        return  # the related rows' dates (sets.py): "users with no orders in 2024"
    years = b.parsed.years
    if not years and not b.parsed.months and not b.parsed.relative:
        return
    event = event_time(b)  # eventdates.py: "bikes that had a battery replacement in 2024"
    if isinstance(event, str):
        raise Unanswerable(event)
    col = event or b.time_column()
    year_col = None if col is not None else year_column(b)
    if year_col is not None and not b.parsed.months and not b.parsed.relative:
        for op, year in years:  # "born before 1960": BirthYear < 1960
            b.value_filters.append((-1, Filter(b.use(year_col), op, (year,))))
        years_at = [t.i for t in b.parsed.toks if is_year(t)]  # "opened after 1990": events.py
        b.plan.accounted.update(event_verbs(b.parsed.toks, years_at, year_col))
        return
    if col is None:
        raise Unanswerable(f"{b.s.id} has no date or timestamp column to filter on")
    b.use(col)
    for op, year in years:
        b.plan_filters.append(Filter(col, op, (year,), part="YEAR"))
    if b.parsed.months:
        b.plan_filters.append(Filter(col, "=", tuple(b.parsed.months), part="MONTH"))
    for part, op, when in b.parsed.relative:
        b.plan_filters.append(Filter(col, op, (when,), part=part))

def year_column(b: _Builder) -> Column | None:
    """A whole-number column holding years: one the question names (``born``), else
    one named for a year (``BirthYear``, ``enrol_year``)."""
    said = {t.stem for t in b.parsed.toks}
    joined = [j.target for j in b.plan.joins]  # tables the question's words reached
    cols = [c for table in [b.s] + joined + [j.target for j in b.joins]
            for c in table.columns or [] if c.numeric and not c.is_key and c.words]
    measured = {id(m.column) for m in b.plan.measures} | {id(g.column) for g in b.plan.groups}
    # said right before the year ("founded in 1990", "year 2014 or after"), not anywhere:
    # "the name and capacity of the stadium ... after 2014" is no capacity of 2014
    years_at = [t.i for t in b.parsed.toks if is_year(t)]
    near = {id(p.column) for r in b.readings for p in r.pieces if p.column is not None
            and any(0 < y - r.phrase.toks[p.end - 1].i <= 3 for y in years_at)}
    close = {w for y in years_at for t in b.parsed.toks[max(0, y - 3):y] for w in (t.low, t.stem)}
    named = next((c for c in cols if set(c.words) <= said and id(c) not in measured
                  and (id(c) in near or set(c.words) <= close)), None)
    if named is not None:
        return named
    years = [c for c in cols if c.words[-1] == "year"]
    event = event_year_column(b.parsed.toks, years_at, years)  # "graduated in 2023"
    if event is not None:
        return event
    if not years:  # "clubs founded after 1990": YearFounded
        first = [c for c in cols if c.words[0] == "year" and id(c) not in measured]
        event = event_year_column(b.parsed.toks, years_at, first)
        if event is not None:
            return event
    used = {b.s.id} | {t.id for t in joined}
    tables = list(dict.fromkeys(c.table for c in years if c.table in used))
    if len(tables) > 1:  # enrolled in 2024: the student's entry year, or the enrolment's?
        said_cols = " or ".join(next(c.name for c in years if c.table == t) for t in tables)
        raise Unanswerable(f"I cannot tell which year the question means: {said_cols}")
    return years[0] if years else None

def counted_after(b: _Builder, cmp: P.Comparison) -> bool:
    """``hometowns shared by at least two teachers``: the comparison counts the subject's
    own rows (a table named right after the number), so it applies to each group's count."""
    if compared_before(b, cmp) is not None or cmp.hint:
        return False
    for r in sorted(b.readings, key=lambda x: x.phrase.toks[0].i):
        first = r.phrase.toks[0].i
        if first <= cmp.after:
            continue
        if first > cmp.after + 4:  # "more than 100 products": the words, then the number
            return False
        named = [p for p in r.pieces if p.kind in ("table", "column")]
        return bool(named) and all(p.kind == "table" and p.table is b.s for p in named)
    return False


def comparisons(b: _Builder) -> None:
    for cmp in b.parsed.comparisons:
        if cmp.after in b.consumed:
            continue  # a count of related rows (sets.py)
        if counted_after(b, cmp):
            b.plan.having.append((cmp.op, cmp.number))
            _or_more(b, cmp)
            continue
        col = compared_column(b, cmp)
        if col is None:
            raise Unanswerable(f"I could not tell which column '{cmp.op} {cmp.number}' "
                               "applies to")
        toks = b.parsed.toks
        op = denied_comparison(b, cmp)  # "not higher than 4": at most 4 (vocab hook)
        b.value_filters.append((cmp.after, Filter(b.use(col), op or cmp.op, (cmp.number,))))
        if cmp.op == "=" and cmp.hint and toks[cmp.after].low in EQUAL_WORDS:
            b.plan.accounted.add(cmp.after)  # "aged 32": the word says the column
        _or_more(b, cmp)


def _or_more(b: _Builder, cmp: P.Comparison) -> None:
    toks = b.parsed.toks
    if toks[cmp.after].number is not None and cmp.after + 1 < len(toks) and toks[
            cmp.after + 1].low == "or":
        b.plan.accounted.add(cmp.after + 1)  # "5 or more": one bound, not alternatives


# The comparison a "not" in front of one means ("not higher than 4": at most 4).
DENIED_OPS = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def denied_comparison(b: _Builder, cmp: P.Comparison) -> str | None:
    """``membership level is not higher than 4``: the comparison turned round, the "not"
    accounted for; None where a phrase after it takes the "not" too ("not above 30 and
    from France" would deny France as well: that reading is left to decline)."""
    toks = b.parsed.toks
    k = cmp.after - 1
    if k < 0 or toks[k].low != "not" or cmp.op not in DENIED_OPS:
        return None
    if any(r.phrase.negated and r.phrase.toks[0].i > cmp.after for r in b.readings):
        return None
    b.plan.accounted.add(k)
    return DENIED_OPS[cmp.op]


def compared_before(b: _Builder, cmp: P.Comparison) -> Column | None:
    """A numeric column ending the phrase right before the comparison
    ("products cost less than 10", "a sale price above 100")."""
    for r in b.readings:
        last = r.pieces[-1] if r.pieces else None
        if (last is not None and last.kind == "column" and last.column is not None
                and last.column.numeric and r.phrase.toks[last.end - 1].i == cmp.after - 1):
            return last.column
    return None

def compared_column(b: _Builder, cmp: P.Comparison) -> Column | None:
    said = compared_before(b, cmp)
    if said is not None:
        return said
    if cmp.hint:
        col = b._kind_column(cmp.hint, [b.s] + [j.target for j in b.joins])
        if col is not None:
            return col
    for r in b.readings:  # "more than 2 items": the column named right after
        first = r.phrase.toks[0].i
        if first == cmp.after + 1 or (first > cmp.after and first <= cmp.after + 3):
            col = next((p.column for p in r.of("column")
                        if p.column is not None and p.column.numeric), None)
            if col is not None:
                return col
    before: Column | None = None
    for r in b.readings:
        for p in r.of("column"):
            tok = r.phrase.toks[p.start]
            if p.column is not None and p.column.numeric and tok.i < cmp.after:
                before = p.column
    if before is not None:
        return before
    measured = next((m.column for m in b.plan.measures if m.column is not None), None)
    # "users under 18", "products over 100": age for people, else a price
    return measured or b._kind_column("age", [b.s]) or b._kind_column(
        "price", [b.s])

_COPULAS = frozenset({"is", "are", "was", "were", "be", "been", "got", "get", "gets"})


def percentages(b: _Builder) -> None:
    if not b.parsed.pct:
        return
    base = next((r for r in b.readings if r.phrase.role == P.PCT_BASE), None)
    after = base.phrase.toks[-1].i if base else -1
    # "share of orders placed by women were cancelled": what the base says before its
    # verb narrows the whole (both parts); only what follows the verb is the share's part
    verb = next((t.i for t in b.parsed.toks if t.i > after and t.low in _COPULAS), None)
    if verb is not None and any(i > verb for i, _ in b.value_filters):
        after = verb
    numerator = [f for i, f in b.value_filters if i > after]
    if not numerator and not b.plan.groups and b.value_filters:
        numerator = [b.value_filters[-1][1]]
    if numerator:
        b.plan.measures = [Measure("PCT", condition=tuple(merge_values(numerator)))]
    elif b.plan.groups:
        b.plan.measures = [Measure("SHARE")]
    else:
        raise Unanswerable("I could not tell the percentage of what")
    b.plan.explicit_measures = True

def merge_values(filters: list[Filter]) -> list[Filter]:
    """``Email or Facebook``: equal-to filters on one column become one IN list."""
    out: list[Filter] = []
    for f in filters:
        same = next((i for i, g in enumerate(out) if g.key == f.key and g.op == f.op
                     and f.op in ("=", "!=")), None)
        if same is None:
            out.append(f)
        else:
            g = out[same]
            out[same] = Filter(g.column, g.op, g.values + tuple(
                v for v in f.values if v not in g.values), g.part)
    return out


def denied_before(b: _Builder, r: Reading) -> set[tuple[str, str]]:
    """``not from Peru or Kenya``: the columns a negated value right before, joined by
    a bare "or", denied; a value of the same column after it is denied too (NOT IN)."""
    k = next((k for k, x in enumerate(b.readings) if x is r), 0)
    before = b.readings[k - 1] if k > 0 else None
    if before is None or not before.phrase.negated:
        return set()
    between = b.parsed.toks[before.phrase.toks[-1].i + 1:r.phrase.toks[0].i]
    if [t.low for t in between] != ["or"]:
        return set()
    return {(p.column.table, p.column.name) for p in before.of("value")
            if p.column is not None}


def add_value_filters(b: _Builder, r: Reading) -> None:
    """The filters a phrase's values and flag/date columns say, kept by token index."""
    by_col: dict[tuple[str, str], list[Piece]] = {}
    for p in r.of("value"):
        assert p.column is not None
        by_col.setdefault((p.column.table, p.column.name), []).append(p)
    denied = denied_before(b, r)
    for key, pieces in by_col.items():
        col = b.use(pieces[0].column)
        op = "!=" if r.phrase.negated or key in denied else "="
        f = Filter(col, op, tuple(p.value for p in pieces))
        b.value_filters.append((r.phrase.toks[pieces[0].start].i, f))
    said = {t.stem for t in r.phrase.toks}  # what a flag's fact must be said in
    for p in r.of("column"):
        assert p.column is not None
        flag = flag_filter(p.column, r.phrase.negated, said)  # flags.py: = TRUE, = 'Y'
        if flag is not None and r.phrase.role in (P.CONTEXT, P.COUNT, P.PCT_BASE, P.OF):
            b.use(p.column)
            b.value_filters.append((r.phrase.toks[p.start].i, flag))
        elif p.column.temporal and r.phrase.role == P.CONTEXT:
            b.time_hint = p.column
            table = b.catalog.table(p.column.table)
            if table is not None and time_column(table) is not p.column:
                # "have been sold": the event happened (its time is set)
                op = "IS NULL" if r.phrase.negated else "IS NOT NULL"
                f = Filter(b.use(p.column), op, ())
                b.value_filters.append((r.phrase.toks[p.start].i, f))
        elif r.phrase.negated and r.phrase.role == P.CONTEXT and not r.of("value"):
            # "tracks with no composer"
            f = Filter(b.use(p.column), "IS NULL", ())
            b.value_filters.append((r.phrase.toks[p.start].i, f))
