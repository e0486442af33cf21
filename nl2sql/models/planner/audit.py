"""Every word of the question is accounted for by the plan, or the planner declines.

The parser and matcher read what they can; this module checks the result the
other way round, from the plan back to the words, and names what the plan
would silently leave out:

- a word the matcher placed (a table, column or value) that the plan does not use
  ("name and *citizenship* of singers" answered with names only);
- a word that demands a feature the plan lacks: a "not" with no negated condition,
  "average" with no average, "ordered by" with no ordering, "or" with no
  alternative (the word classes are data: ``lexicon.yaml``);
- a number the plan does not use ("visitors below age *30*");
- any other content word that played no part;
- a count nobody asked for (a listing question answered with row counts), a
  comparison on a column the question never named, and contradictory filters
  (``year = 2023 AND year = 2024``, ``x < 1945 AND x > 1955``).

Declining is always better than answering another question with a confident number.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Catalog, Column, key_column, label_columns
from nl2sql.models.planner.cues import COMPARATIVE_HINTS, UNIT_HINTS
from nl2sql.models.planner.fixedcounts import holds_counts
from nl2sql.models.planner.knowledge import undefined_use
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.listing import pronoun_pair
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.misreadings import (
    col_key,
    each_row_aggregated,
    owner_problems,
    values_naming_tables,
)
from nl2sql.models.planner.ownrows import own_rows_words, ranked_by_a_key
from nl2sql.models.planner.plan import Filter, Plan
from nl2sql.models.planner.units import said_unit
from nl2sql.models.planner.words import (
    MONTHS,
    TIME_ADJECTIVES,
    TIME_UNITS,
    UNIT_SUFFIXES,
    Tok,
    is_plural,
)

RANGE_OPS = (">", ">=", "<", "<=")
_SETS = lexicon().sets
TIME_WORDS = frozenset(set(TIME_UNITS) | set(TIME_ADJECTIVES) | set(MONTHS)) | _SETS["time_words"]
TIME_WORDS |= {f"q{n}" for n in range(1, 5)}  # "Q3 2025": a quarter (parse.py)
# ranking words that say "how many" on their own ("the most users", "most common city")
COUNT_RANKS = _SETS["count_ranks"]
# ranking words that say "by a value", never "by how many"
VALUE_RANKS = _SETS["value_ranks"]
PLACE_WORDS = _SETS["place_words"]
MAX_NAMED = 8  # unplaced words named in a decline
COUNTED = ("COUNT", "COUNT_DISTINCT", "AVG_COUNT")


@dataclass
class Audit:
    """What the plan leaves unexplained; empty lists mean the plan answers the question."""

    unused: list[str] = field(default_factory=list)  # words that played no part
    problems: list[str] = field(default_factory=list)  # plan-level reasons to decline

    @property
    def ok(self) -> bool:
        return not self.unused and not self.problems

    def reason(self) -> str:
        parts = list(self.problems)
        if self.unused:
            once = list(dict.fromkeys(self.unused))
            more = len(once) - MAX_NAMED
            words = ", ".join(f"'{w}'" for w in once[:MAX_NAMED]) + (
                f" and {more} more" if more > 0 else "")
            parts.append(f"I could not account for {words} in a query I can write")
        return "; ".join(parts)


def plan_columns(plan: Plan) -> set[tuple[str, str]]:
    """Every column the query reads, including the label columns of grouped entities."""
    cols: list[Column] = [f.column for f in plan.filters]
    cols += [f.column for m in plan.measures for f in m.condition]
    cols += [m.column for m in plan.measures if m.column is not None]
    cols += list(plan.rows)
    if plan.order_column is not None:
        cols.append(plan.order_column)
    for g in plan.groups:
        cols.append(g.column)
        if g.entity is not None:
            cols += label_columns(g.entity.target)
            key = key_column(g.entity.target)
            if key is not None:
                cols.append(key)
    return {col_key(c) for c in cols}


def _features(plan: Plan) -> set[str]:
    """The features of ``lexicon.yaml`` this plan has."""
    out: set[str] = set()
    funcs = {m.func for m in plan.measures}
    filters = list(plan.filters) + [f for m in plan.measures for f in m.condition]
    if any(f.op in ("!=", "IS NULL") or False in f.values for f in filters):
        out.add("negation")
    if any(len(f.values) > 1 and f.op in ("=", "!=") for f in filters):
        out.add("alternative")
    if plan.desc is not None:
        out.add("ordering")
    if (plan.desc is not None and plan.limit is not None) or funcs & {"MAX", "MIN"}:
        out.add("ranking")
    if funcs & {"AVG", "AVG_COUNT"}:
        out.add("average")
    if "MEDIAN" in funcs:
        out.add("median")
    defined = " ".join(m.metric.expression.upper() for m in plan.measures if m.metric)
    if "COUNT" in defined:  # a metric defined as a count answers "how many"
        funcs = funcs | {"COUNT"}
    if "COUNT(DISTINCT" in defined.replace(" ", ""):  # "distinct sessions": distinct ids
        funcs = funcs | {"COUNT_DISTINCT"}
    if "DIVIDE" in defined or "/" in defined:  # a rate or a ratio
        funcs = funcs | {"PCT"}
    if funcs & {"SUM", "COUNT", "COUNT_DISTINCT", "METRIC", "METRIC_SHARE"}:
        out.add("sum")
    if funcs & set(COUNTED) or (plan.ranked and not plan.rows and "COUNT" in funcs) or any(
            m.func == "SUM" and m.column is not None and holds_counts(m.column)
            for m in plan.measures):  # the total of obsr_cnt: how many observers
        out.add("count")
    if "COUNT_DISTINCT" in funcs or (plan.groups and not plan.measures):
        out.add("distinct")
    if funcs & {"PCT", "SHARE", "METRIC_SHARE"}:
        out.add("share")
    if any(f.op in RANGE_OPS for f in filters) or plan.having:
        out.add("comparison")
    if plan.groups or plan.rows or "AVG_COUNT" in funcs:
        out.add("grouping")
    if any(f.part is not None for f in filters) or any(g.unit for g in plan.groups) or any(
            f.op in RANGE_OPS and f.column.words and f.column.words[-1] == "year"
            for f in filters):
        out.add("time")
    return out


def _numbers_used(plan: Plan) -> set[float]:
    out: set[float] = set()
    for f in list(plan.filters) + [f for m in plan.measures for f in m.condition]:
        for v in f.values:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.add(float(v))
            elif isinstance(v, str):
                with contextlib.suppress(ValueError):
                    out.add(float(v))
    if plan.limit is not None:
        out.add(float(plan.limit))
    out |= {float(n) for _, n in plan.having}
    return out


def _reached(plan: Plan, catalog: Catalog) -> set[str]:
    """Tables the plan reads, or whose keys it reads ("loans per member": member_id)."""
    out = {t.id for t in plan.tables()}
    for t in plan.tables():
        for c in t.columns or []:
            if c.is_key and col_key(c) in plan_columns(plan):
                target = catalog.fk_target(t, c)
                if target is not None:
                    out.add(target.id)
    return out


def _piece_used(piece: object, plan: Plan, cols: set[tuple[str, str]], reached: set[str]) -> bool:
    kind = getattr(piece, "kind", "")
    if kind == "table":
        table = getattr(piece, "table", None)
        return table is not None and table.id in reached
    if kind == "time":
        return "time" in _features(plan)
    column = getattr(piece, "column", None)
    if column is None:
        return False
    if kind == "value":
        value = str(getattr(piece, "value", "")).lower()
        return any(col_key(f.column) == col_key(column)
                   and value in {str(v).lower() for v in f.values}
                   for f in list(plan.filters) + [f for m in plan.measures for f in m.condition])
    return col_key(column) in cols


def audit(toks: list[Tok], parsed: P.Parse, readings: list[Reading], plan: Plan,
          catalog: Catalog, followup: bool = False) -> Audit:
    """Account for every token of the question (``toks`` as parsed) against ``plan``;
    a ``followup`` inherits its measure from the turn it modifies."""
    lex = lexicon()
    out = Audit()
    cols = plan_columns(plan)
    feats = _features(plan)
    if not plan.explicit_measures and not followup and not any(
            m.func in ("SUM", "METRIC") for m in plan.measures):
        feats.discard("sum")  # "the price in total": a count nobody asked for adds nothing up
    reached = _reached(plan, catalog)
    placed: dict[int, bool] = {}  # token index -> whether the plan uses what it names
    for r in readings:
        for p in r.pieces:
            used = _piece_used(p, plan, cols, reached)
            for t in r.phrase.toks[p.start:p.end]:
                placed[t.i] = placed.get(t.i, False) or used
    keys = {col_key(g.column) for g in plan.groups if g.unit is None}
    grouped = {t.i for r in readings for p in r.pieces
               if p.kind == "column" and p.column is not None and col_key(p.column) in keys
               for t in r.phrase.toks[p.start:p.end]}
    numbers = _numbers_used(plan)
    subject_words = set(plan.subject.words)
    explained = {i for c in plan.conditions for i in c.tokens} | plan.accounted  # sets.py
    explained |= own_rows_words(readings, plan)  # "returned items" on order_items
    for t in toks:
        if t.i in explained:
            continue
        if said_unit(t, toks, plan):
            continue  # "average duration in minutes" of duration_minutes (units.py),
            # though total_minutes spells the word too
        if t.i in placed:
            # "in descending order of age" beside a table named orders: the word's
            # ordinary meaning is in the plan, so the unused match was a coincidence
            if not placed[t.i] and not lex.features_of(t.low) & feats:
                out.unused.append(t.raw)
            continue
        if t.number is not None:
            if float(t.number) not in numbers and not (
                    "time" in feats and isinstance(t.number, int) and 1900 <= t.number <= 2100):
                out.unused.append(t.raw)
            continue
        if "comparison" in feats and (t.low in UNIT_HINTS or t.low in UNIT_SUFFIXES
                                      or t.low in COMPARATIVE_HINTS):
            continue  # "longer than 30 km", "cost more than 1 dollar": the comparison's unit
        if pronoun_pair(t, toks):
            continue  # "his or her last name": one person, no alternative
        if t.low == "both":
            # "both 2023 and 2024" (each year) and "list both X and Y" (two columns) are
            # read; "at both a coastal and a wetland site" asks for rows meeting each
            # value, which a filter taking either value (IN) would answer wrongly
            if not parsed.both_years and "alternative" in feats:
                out.unused.append(t.raw)
            continue
        wanted = lex.features_of(t.low)
        if wanted:
            if "distinct" in wanted and t.i + 1 in grouped:
                continue  # "show different hometowns and the number ...": one row each
            if not wanted & feats and not (t.low in TIME_WORDS and "time" in feats):
                out.unused.append(t.raw)
            continue
        if abbreviation(t, toks):
            out.unused.append(t.raw)  # "top 5 US states": a value, not the pronoun "us"
            continue
        if t.low in TIME_WORDS or t.stem in TIME_WORDS:
            if "time" not in feats:
                out.unused.append(t.raw)
            continue
        if (t.low in lex.contentless or t.stem in lex.contentless or t.stem in subject_words
                or lex.light(t.low)):
            continue
        if t.quoted or t.cap:
            out.unused.append(t.raw)  # a name the plan does not filter on
            continue
        out.unused.append(t.raw)
    out.problems += _plan_problems(parsed, readings, plan, followup)
    out.problems += values_naming_tables(readings, plan, catalog)
    out.problems += each_row_aggregated(readings, plan)
    out.problems += ranked_by_a_key(toks, plan)  # "the most items": not MAX(item_id)
    rule = undefined_use(toks, catalog.notes, tuple(catalog.opaque))
    if rule is not None and not any(m.metric for m in plan.measures):
        out.problems.insert(0, f"the dataset's notes define a word of the question (\"{rule}\") "
                               "and I cannot apply that definition")
    return out


def abbreviation(t: Tok, toks: list[Tok]) -> bool:
    """An upper-case word inside a question that is not all upper case ("US", "IT", "IN"):
    an abbreviation naming a value, never the function word spelt the same way."""
    shouted = all(x.raw.isupper() for x in toks if x.raw.isalpha())
    return (not shouted and not t.quoted and t.raw.isalpha() and t.raw.isupper()
            and len(t.raw) >= 2)


def _plan_problems(parsed: P.Parse, readings: list[Reading], plan: Plan,
                   followup: bool) -> list[str]:
    problems: list[str] = []
    lex = lexicon()
    words = {t.low for t in parsed.toks}
    grouped = any(r.phrase.role in (P.GROUP, P.RANK_GROUP) and any(
        p.kind != "value" for p in r.pieces) for r in readings)
    if (plan.measures and all(m.func == "COUNT" and m.column is None for m in plan.measures)
            and not plan.rows and not grouped and not followup and not plan.having
            and not words & (lex.features["count"] | lex.features["share"]
                             | lex.features["sum"] | COUNT_RANKS)):
        problems.append("the question does not ask for a count, and I would be counting rows")
    if (plan.ranked and not plan.rows and plan.measures and plan.measures[0].func == "COUNT"
            and not words & (lex.features["count"] | COUNT_RANKS) and words & VALUE_RANKS):
        problems.append("the question ranks by a value ('highest', 'largest', ...), and I would "
                        "be ranking by a count of rows")
    if parsed.toks and parsed.toks[0].low in ("where", "when") and not _shows_place_or_time(
            plan, parsed.toks[0].low):
        problems.append(f"the question asks {parsed.toks[0].low}, and no column I found says it")
    named = {col_key(p.column) for r in readings for p in r.pieces if p.column is not None}
    plural = {col_key(p.column) for r in readings for p in r.pieces if p.column is not None
              and is_plural(r.phrase.toks[p.end - 1].raw)}
    for m in plan.measures:
        if (plan.ranked and not plan.rows and m.func in ("MAX", "MIN") and m.column is not None
                and any(col_key(g.column) == col_key(m.column) for g in plan.groups)):
            # "at what hour do the most trips start": ranking hours by the latest start
            # time within them ranks the buckets by themselves; the words meant a count
            problems.append(f"I would rank groups of {m.column.name} by {m.column.name} itself")
        if (m.func == "COUNT_DISTINCT" and m.column is not None and not m.column.is_key
                and not words & lex.features["distinct"] and col_key(m.column) not in plural):
            problems.append(f"the question does not ask how many different "
                            f"{m.column.name} values there are")
    hinted = any(c.hint for c in parsed.comparisons)
    for f in plan.filters:
        if f.op in RANGE_OPS and f.part is None and col_key(f.column) not in named:
            said = {t.stem for t in parsed.toks} | {t.low for t in parsed.toks}
            yearish = any(y == f.values[0] for _, y in parsed.years) and bool(f.column.words) \
                and (f.column.words[-1] == "year" or set(f.column.words) <= said)
            if not hinted and not yearish:
                problems.append(f"the question does not say which column '{f.op} "
                                f"{f.values[0]}' applies to")
        if f.column.is_key and f.op in RANGE_OPS:
            problems.append(f"comparing the key {f.column.name} with a number answers a "
                            "different question")
    if plan.having and (not plan.groups or not any(m.func == "COUNT" for m in plan.measures)):
        problems.append("a condition on how many rows there are needs something to count per "
                        "group, and the question names none")
    for g in plan.groups:
        finer = [h for h in plan.groups if h is not g and h.unit is not None
                 and col_key(h.column) == col_key(g.column)]
        if finer and (g.unit == "DAY" or (g.unit is None and g.entity is None
                                          and g.column.temporal)):
            # "per month, by the date they were returned": the date is which column, not a
            # second bucket; a date already fixes its month, so grouping by both says nothing
            problems.append(f"I would group {g.column.name} by its date and by its "
                            f"{str(finer[0].unit).lower()} at once")
    problems += owner_problems(parsed, readings)
    own = key_column(plan.subject)
    if own is not None and any(g.entity is None and col_key(g.column) == col_key(own)
                               for g in plan.groups) and any(
            m.func == "COUNT" and m.column is None for m in plan.measures):
        problems.append(f"counting rows of {plan.subject.name} per {own.name} counts each "
                        "row once, which answers no question")
    problems += contradictions(plan.filters)
    return list(dict.fromkeys(problems))


def _shows_place_or_time(plan: Plan, asked: str) -> bool:
    shown = list(plan.rows) + [g.column for g in plan.groups]
    if asked == "when":
        return any(c.temporal or (c.words and c.words[-1] in ("year", "date", "time"))
                   for c in shown + [m.column for m in plan.measures if m.column is not None])
    return any(_place(w) for c in shown for w in c.words)


def _place(word: str) -> bool:
    """A place word, alone or ending a compound ("hometown", "birthplace")."""
    return word in PLACE_WORDS or any(word.endswith(p) for p in PLACE_WORDS if len(p) >= 4)


def contradictions(filters: list[Filter]) -> list[str]:
    """Conditions that no row can meet together: the question was read wrongly."""
    out: list[str] = []
    by_key: dict[tuple[str, str, str | None], list[Filter]] = {}
    for f in filters:
        by_key.setdefault(f.key, []).append(f)
    for (_, name, part), fs in by_key.items():
        label = f"{part.lower()} of {name}" if part else name
        equal = [set(f.values) for f in fs if f.op == "="]
        if len(equal) > 1 and not set.intersection(*equal):
            out.append(f"the conditions on {label} contradict each other")
            continue
        if equal and any(f.op == "!=" and set(f.values) & equal[0] for f in fs):
            out.append(f"the conditions on {label} contradict each other")
            continue
        if equal and any(f.op == "IS NULL" for f in fs):
            out.append(f"the conditions on {label} contradict each other")
            continue
        lows = [f.values[0] for f in fs if f.op in (">", ">=") and f.values]
        highs = [f.values[0] for f in fs if f.op in ("<", "<=") and f.values]
        try:
            if lows and highs and max(lows) >= min(highs):  # type: ignore[type-var,operator]
                out.append(f"no value of {label} meets all of its conditions (perhaps 'or' "
                           "was meant, which I cannot combine)")
        except TypeError:
            pass
    return out

