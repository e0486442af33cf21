"""Period comparisons, read before the rest of the question and linked after its plan.

Three shapes, whatever the schema:

- ``compare``: "revenue in 2024 vs 2023", "Q4 2024 versus Q4 2023" -- one row per
  period, each with its change from the period before it;
- ``growth``: "by what percentage did revenue grow from 2024 to 2025" -- one row: the
  two values, the change and the percentage change from the earlier to the later;
- ``over``: "month-over-month revenue growth", "YoY change in orders" -- one row per
  period, each against the one just before (a window function).

``read`` takes the period words out of the question and says what they were; the rest
("revenue in 2024", "revenue by month") is planned as usual, and ``link`` turns that
plan into the comparison, or says why it cannot. Periods that cannot be read precisely
("grow since last year", "Q4 vs 2023 H1") are declined, never guessed.

>>> r = read("What was revenue in Q4 2024 vs Q4 2023?")
>>> r.rest, r.spec.kind, [p.label for p in r.spec.periods]
('What was revenue in 2023 ?', 'compare', ['Q4 2023', 'Q4 2024'])
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.cues import is_year
from nl2sql.models.planner.plan import Comparison, Filter, GroupKey, Period, Plan
from nl2sql.models.planner.words import MONTHS, Tok, tokenize

UNITS = {"day": "DAY", "week": "WEEK", "month": "MONTH", "quarter": "QUARTER", "year": "YEAR"}
UNIT_ADJECTIVES = {"daily": "DAY", "weekly": "WEEK", "monthly": "MONTH", "quarterly": "QUARTER",
                   "yearly": "YEAR", "annual": "YEAR", "annually": "YEAR"}
SHORT_OVER = {"dod": "DAY", "wow": "WEEK", "mom": "MONTH", "qoq": "QUARTER", "yoy": "YEAR"}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4}
# Words that ask for a change between periods, and the words around them ("by what
# percentage did ... grow", "how much did ... change").
GROWTH = frozenset({"grow", "grows", "grew", "grown", "growing", "growth"})
CHANGE = frozenset({"increase", "increased", "increases", "decrease", "decreased", "decreases",
                    "change", "changed", "changes", "rise", "rose", "risen", "fall", "fell",
                    "fallen", "drop", "dropped", "declined"})
VERSUS = frozenset({"vs", "versus", "against"})
HALF_QUARTERS = {1: (1, 2), 2: (3, 4)}  # a half year is read as its quarters


@dataclass(frozen=True)
class Reading:
    rest: str  # the question without the period words, for the ordinary planner
    spec: Comparison


def _period(toks: list[Tok], i: int) -> tuple[Period | None, int, str | None, int | None]:
    """A period at ``toks[i]``: (period or None when its year is elided, width, part,
    number). ``Q4 2024``, ``first quarter of 2024``, ``March 2024``, ``2024``, ``Q4``."""
    n = len(toks)

    def year_at(k: int) -> int | None:
        if k < n and toks[k].low == "of":
            k += 1
        number = toks[k].number if k < n and is_year(toks[k]) else None
        return int(number) if number else None

    def width_to_year(k: int) -> int:
        return 2 if k < n and toks[k].low == "of" else 1

    if i >= n:
        return None, 0, None, None
    t = toks[i]
    if is_year(t) and t.number:
        return Period(int(t.number)), 1, None, None
    part, number, width = None, None, 0
    if len(t.low) == 2 and t.low[0] == "q" and t.low[1] in "1234":
        part, number, width = "QUARTER", int(t.low[1]), 1
    elif t.low in ORDINALS and i + 1 < n and toks[i + 1].stem == "quarter":
        part, number, width = "QUARTER", ORDINALS[t.low], 2
    elif ORDINALS.get(t.low, 3) <= 2 and i + 1 < n and toks[i + 1].stem == "half":
        part, number, width = "HALF", ORDINALS[t.low], 2  # "first half of 2025"
    elif t.low in ("h1", "h2"):
        part, number, width = "HALF", int(t.low[1]), 1
    elif t.low in MONTHS and (t.cap or i == 0):
        part, number, width = "MONTH", MONTHS[t.low], 1
    if part is None:
        return None, 0, None, None
    year = year_at(i + width)
    if year is None:
        return None, width, part, number
    return Period(year, part, number), width + width_to_year(i + width), part, number


def _pair(toks: list[Tok], i: int, joiners: frozenset[str]) -> tuple[list[Period], int] | None:
    """``P1 <joiner> P2`` at ``toks[i]``: the two periods as said, and the width."""
    first, w1, part1, num1 = _period(toks, i)
    if not w1:
        return None
    k = i + w1
    said = []
    while k < len(toks) and (toks[k].low in joiners or toks[k].low in ("to", "with", "in", "the")):
        said.append(toks[k].low)
        k += 1
    if not said or not set(said) & joiners:
        return None
    second, w2, part2, num2 = _period(toks, k)
    if not w2:
        return None
    if first is None and second is not None:  # "Q3 vs Q4 2024": the year said once
        first = Period(second.year, part1, num1)
    if second is not None and first is not None and second.part is None and first.part:
        second = Period(second.year, first.part, first.number)  # "Q4 2024 vs 2023"
    if first is None or second is None:
        return None
    return [first, second], k + w2 - i


def _span_start(toks: list[Tok], i: int) -> int:
    """Take the preposition in front of the first period too ("in 2024 vs 2023")."""
    k = i - 1 if i > 0 and toks[i - 1].low == "the" else i
    return k - 1 if k > 0 and toks[k - 1].low in ("in", "for", "during", "from", "between") else i


def read(question: str) -> Reading | str | None:
    """The period comparison in ``question``: a reading, a reason to decline (the question
    compares periods that cannot be read precisely), or None (it compares none)."""
    toks = tokenize(question)
    lows = [t.low for t in toks]
    growth = any(t.low in GROWTH for t in toks)
    change = growth or any(t.low in CHANGE for t in toks)
    compared = "compared" in lows or "compare" in lows
    for i in range(len(toks)):
        if growth or change:
            joiners = frozenset({"to", "and"}) if i > 0 and lows[i - 1] in (
                "from", "between") else VERSUS | {"compared", "over"}
        else:
            joiners = VERSUS | ({"compare", "compared", "and", "with"} if compared else set())
        pair = _pair(toks, i, frozenset(joiners))
        if pair is None:
            continue
        periods, width = pair
        start, end = _span_start(toks, i), i + width
        if len({(p.year, p.part, p.number) for p in periods}) < 2:
            return "the question compares a period with itself"
        ordered = tuple(sorted(periods, key=lambda p: (p.year, p.number or 0)))
        if change and lows[i - 1:i] == ["from"] and ordered[0] != periods[0]:
            return "the question asks for a change from a later period to an earlier one"
        kind = "growth" if change else "compare"
        drop = {k for k in range(start, end)}
        if compared or change:
            drop |= _asking_words(toks, start)
        return Reading(_rest(question, toks, drop, start, f"in {ordered[0].year}"),
                       Comparison(kind, ordered))
    over = _over(toks)
    if over is not None:
        unit, span = over
        drop = set(span) | (_asking_words(toks, min(span)) if change else set())
        return Reading(_rest(question, toks, drop, None, f"by {unit.lower()}"),
                       Comparison("over", unit=unit))
    # Periods asked for but not readable: decline. A growth word alone may be a column's
    # ("population growth"), so it declines only beside words of time.
    timed = any(is_year(t) or t.stem in UNITS or t.low in UNIT_ADJECTIVES
                or t.low in ("last", "since", "previous", "ago") for t in toks)
    if any(t.low in ("vs", "versus") for t in toks) or ((growth or compared) and timed):
        return ("I could not tell which periods the question compares; name them, e.g. "
                "'revenue in 2024 vs 2023', 'growth from Q1 2024 to Q1 2025' or "
                "'month-over-month growth of revenue'")
    return None


def _over(toks: list[Tok]) -> tuple[str, list[int]] | None:
    """``month over month``, ``YoY``, ``monthly growth``, ``growth by month``."""
    lows = [t.low for t in toks]
    changed = [k for k, w in enumerate(lows) if w in GROWTH or w in CHANGE]
    for k, w in enumerate(lows):
        if w in SHORT_OVER:
            return SHORT_OVER[w], [k] + changed
        if (w in UNITS and k + 2 < len(lows) and lows[k + 1] == "over"
                and lows[k + 2] == w):
            return UNITS[w], [k, k + 1, k + 2] + changed
    # "monthly growth", "change by month"; not "orders that changed status by month"
    if not any(lows[k] in GROWTH or lows[k] in ("change", "increase", "decrease")
               for k in changed):
        return None
    for k, w in enumerate(lows):
        if w in UNIT_ADJECTIVES:  # "monthly revenue growth"
            return UNIT_ADJECTIVES[w], [k] + changed
        if (w in ("by", "per", "each", "every") and k + 1 < len(toks)
                and toks[k + 1].stem in UNITS and any(c < k for c in changed)):
            return UNITS[toks[k + 1].stem], [k, k + 1] + changed
    return None


def _asking_words(toks: list[Tok], before: int) -> set[int]:
    """The words that ask for the change ("by what percentage did", "how much", "grow",
    "compared"): accounted for by the comparison itself."""
    out = {k for k, t in enumerate(toks) if t.low in GROWTH or t.low in CHANGE
           or t.low in ("compare", "compared")}
    for k in range(before):
        if toks[k].low in ("percentage", "percent", "%", "rate"):
            out.add(k)
            if k >= 2 and [toks[k - 2].low, toks[k - 1].low] == ["by", "what"]:
                out |= {k - 2, k - 1}
        if [t.low for t in toks[k:k + 2]] == ["how", "much"] and k + 2 < len(toks) and (
                toks[k + 2].low in ("did", "does", "has", "have", "was", "is")):
            out |= {k, k + 1}
    return out


def _rest(question: str, toks: list[Tok], drop: set[int], at: int | None, insert: str) -> str:
    """``question`` without the tokens in ``drop`` (and the hyphens or the "the"/"of"
    left between them); ``insert`` where they began, or at the end when ``at`` is None."""
    drop = set(drop)
    for k in sorted(drop):  # "the growth of revenue": the words hung on the dropped one
        if k + 1 < len(toks) and toks[k + 1].low in ("of", "in") and k + 1 not in drop \
                and toks[k].low in GROWTH | CHANGE:
            drop.add(k + 1)
        if k > 0 and toks[k - 1].low in ("the", "a") and k - 1 not in drop:
            drop.add(k - 1)
    out, pos = [], 0
    for k, t in enumerate(toks):
        if k == at:
            out.append(question[pos:t.start].rstrip() + f" {insert} ")
            pos = t.start
        if k in drop:
            gap = question[pos:t.start]
            out.append("" if k - 1 in drop and not any(ch.isalnum() for ch in gap) else gap)
            pos = t.end
    tail = question[pos:].rstrip()
    if at is None:
        stop = tail[-1:] if tail[-1:] in ("?", ".", "!") else ""
        tail = tail[:len(tail) - len(stop)].rstrip() + f" {insert}{stop}"
    out.append(tail)
    return " ".join("".join(out).split())


def link(plan: Plan, spec: Comparison) -> str | None:
    """Turn ``plan`` (of the question without its period words) into the comparison;
    a reason to decline when it cannot be."""
    if plan.rows or plan.having or plan.limit is not None or not plan.measures:
        return "I can compare a measure across periods, not a list or a ranking of rows"
    if spec.kind == "over":
        timed = [g for g in plan.groups if g.unit == spec.unit]
        if len(timed) != 1 or spec.unit not in UNITS.values():
            return f"I found no date column to group by {spec.unit.lower() if spec.unit else ''}"
        plan.periods = replace(spec, column=timed[0].column)
        plan.groups = [g for g in plan.groups if g is not timed[0]] + [timed[0]]
        return None
    said = spec.periods[0].year
    found = [f for f in plan.filters if f.op == "=" and f.values == (said,)
             and (f.part == "YEAR" or (f.part is None and f.column.numeric))]
    if len(found) != 1:
        return "I found no date or year column for the periods compared"
    col = found[0].column
    plan.filters = [f for f in plan.filters if f is not found[0]]
    parts = {(p.part, p.number) for p in spec.periods}
    years = tuple(sorted({p.year for p in spec.periods}))
    if not col.temporal and any(p.part for p in spec.periods):
        return f"{col.name} holds years only, so quarters or months cannot be compared"
    if not col.temporal:
        plan.filters.append(Filter(col, "=", years))
        plan.groups.append(GroupKey(col))
    elif any(p.part == "HALF" for p in spec.periods) and len(parts) != 1:
        return "I can compare the same half of several years, not other periods with a half"
    elif len(parts) == 1:  # each year's Q4: the same part, several years
        part, number = next(iter(parts))
        if part == "HALF":  # H1: its two quarters
            plan.filters.append(Filter(col, "=", HALF_QUARTERS[number or 1], part="QUARTER"))
        elif part is not None:
            plan.filters.append(Filter(col, "=", (number,), part=part))
        plan.filters.append(Filter(col, "=", years, part="YEAR"))
        plan.groups.append(GroupKey(col, unit="YEAR"))
    elif len(years) == 1 and len({p.part for p in spec.periods}) == 1:  # Q3 vs Q4 of one year
        part = spec.periods[0].part
        assert part is not None
        plan.filters.append(Filter(col, "=", years, part="YEAR"))
        plan.filters.append(Filter(col, "=", tuple(p.number for p in spec.periods), part=part))
        plan.groups.append(GroupKey(col, unit=part))
    elif len({p.part for p in spec.periods}) == 1:  # December 2024 vs January 2025
        part = spec.periods[0].part
        plan.filters.append(Filter(col, "=", tuple(p.start for p in spec.periods),
                                   part=f"{part}_START"))
        plan.groups.append(GroupKey(col, unit=part))
    else:
        return "the periods compared are of different lengths (a year, a quarter, a month)"
    plan.periods = replace(spec, column=col)
    return None


def period_filter(f: Filter, spec: Comparison) -> bool:
    """Whether ``f`` is one of the conditions ``link`` wrote for the periods compared."""
    return spec.kind != "over" and f.column == spec.column and (
        f.part in ("YEAR", "QUARTER", "MONTH", "QUARTER_START", "MONTH_START")
        or not f.column.temporal)


def describe(spec: Comparison) -> str:
    """The periods, in words: "Q4 2023 compared with Q4 2024", "from 2024 to 2025"."""
    labels = [p.label for p in spec.periods]
    if spec.kind == "growth":
        return f"from {labels[0]} to {labels[-1]}"
    if spec.kind == "compare":
        return ", ".join(labels[:-1]) + f" compared with {labels[-1]}"
    unit = (spec.unit or "").lower()
    return f"each {unit} against the {unit} before it"


def formula(spec: Comparison, measure: str) -> str:
    """How the change is computed, said with the measure's name."""
    if spec.kind == "growth":
        old, new = (f"{measure} in {p.label}" for p in (spec.periods[0], spec.periods[-1]))
    elif spec.kind == "compare":
        old, new = f"{measure} in the period before", f"{measure} in the period"
    else:
        unit = (spec.unit or "").lower()
        old, new = f"{measure} in the previous {unit}", f"{measure} in the {unit}"
    out = f"change = {new} - {old}; percent change = 100 * change / {old}"
    if spec.kind == "over":
        out += f" (empty when the previous {(spec.unit or '').lower()} has no rows)"
    return out


def counted(rest: str, plan: Plan) -> str | None:
    """"visits in 2023 vs 2024" compares how many visits there were: when the plan of the
    rest counts rows though its words do not say so, the rest with "number of" said."""
    if [(m.func, m.column) for m in plan.measures] != [("COUNT", None)] or plan.groups:
        return None
    parsed = P.parse(rest)
    if parsed.roles(P.COUNT, P.MEASURE, P.PCT_BASE, P.RANK_MEASURE) or not parsed.phrases:
        return None
    at = parsed.phrases[0].toks[0].start
    return f"{rest[:at]}number of {rest[at:]}"
