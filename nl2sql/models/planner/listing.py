"""Listing questions: "What are the names and ages of teachers, sorted by age?".

A question that names columns without asking for a count, a total or a ranking
asks for the rows themselves. Without this, the builder's default measure turns
it into a count per distinct name — an answer to a question nobody asked.

``order_phrases`` finds what the rows are sorted by ("in ascending order of
age", "sorted by their age from old to young", "alphabetically"), so the phrase
is not read as a grouping ("by age"), and ``as_listing`` turns a plan whose only
groups came from naming columns into rows in that order.
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import key_column, label_columns
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.words import FILLERS, Tok

_SETS = lexicon().sets
ORDER_WORDS = _SETS["order_words"]
DESCENDING = _SETS["descending"]
# "from old to young", "from high to low": the first word says where the list starts
HIGH_FIRST = _SETS["high_first"]
ALPHABETICAL = _SETS["alphabetical"]
SKIPPABLE = _SETS["order_skippable"]


def asks_order(toks: list[Tok]) -> bool:
    words = {t.low for t in toks}
    return bool(words & (ORDER_WORDS | ALPHABETICAL | DESCENDING | {"ascending",
                                                                     "increasing"}))


def descending(toks: list[Tok]) -> bool:
    lows = [t.low for t in toks]
    if set(lows) & DESCENDING:
        return True
    for k, w in enumerate(lows[:-1]):
        if w == "from" and lows[k + 1] in HIGH_FIRST and "to" in lows[k + 2:k + 4]:
            return True
    return False


def order_phrases(toks: list[Tok], readings: list[Reading]) -> list[Reading]:
    """The phrases right after "order of", "ordered by", "sorted by (their)"; their role
    becomes CONTEXT (what the rows are sorted by is not a grouping)."""
    lows = [t.low for t in toks]
    out: list[Reading] = []
    for r in readings:
        k = r.phrase.toks[0].i - 1
        skipped = 0
        while k >= 0 and lows[k] in SKIPPABLE and skipped < 3:
            k, skipped = k - 1, skipped + 1
        if k >= 0 and skipped and (lows[k] in ORDER_WORDS or lows[k] in ("ascending",
                                                                          "descending")):
            if r.phrase.role in (P.GROUP, P.RANK_GROUP):
                r.phrase.role = P.CONTEXT
            out.append(r)
    return out


# Roles a phrase joined to another by "and" takes over ("the age and hometown of ...").
COORDINATED = (P.WHICH, P.COUNT, P.MEASURE, P.GROUP, P.RANK_GROUP)


def coordinate(toks: list[Tok], readings: list[Reading]) -> None:
    """``What are the age and hometown of teachers?``, ``How many different series and
    contents ...``: a phrase joined by a bare "and" to a phrase of columns, itself only
    columns of the same tables, is asked the same way (listed, counted, measured)."""
    for prev, r in zip(readings, readings[1:], strict=False):
        if r.phrase.role != P.CONTEXT or prev.phrase.role not in COORDINATED:
            continue
        between = [t.low for t in toks[prev.phrase.toks[-1].i + 1:r.phrase.toks[0].i]
                   if t.low not in FILLERS and not pronoun_pair(t, toks)]  # "his or her"
        cols = [p.column for p in r.pieces if p.kind == "column" and p.column is not None]
        before = [p.column for p in prev.pieces if p.kind == "column" and p.column is not None]
        if (between != ["and"] or r.unresolved or not cols or len(cols) != len(r.pieces)
                or not before or len(before) != len(prev.pieces)
                or {c.table for c in cols} - {c.table for c in before}):
            continue
        if prev.phrase.role == P.MEASURE and not all(c.numeric for c in cols + before):
            continue  # "the highest price and name": not a maximum of names
        r.phrase.role, r.phrase.aggs = prev.phrase.role, list(prev.phrase.aggs)
        r.phrase.distinct, r.phrase.group_word = prev.phrase.distinct, prev.phrase.group_word


def _each_row(plan: Plan, parsed: P.Parse, readings: list[Reading]) -> set[int]:
    """Token indices of "each teacher", "every high schooler" where the phrase names the
    rows themselves (the subject table): one row each, not a grouping."""
    out: set[int] = set()
    lows = [t.low for t in parsed.toks]
    for r in readings:
        if r.phrase.role != P.GROUP:
            continue
        if _possessive(r, plan) or (
                len(r.pieces) == 1 and not r.unresolved
                and r.pieces[0].kind == "table" and r.pieces[0].table is plan.subject):
            first = r.phrase.toks[0].i
            k = first - 1
            while k >= 0 and lows[k] in FILLERS:
                k -= 1
            if k >= 0 and lows[k] in ("each", "every", "per"):
                out |= {k, *(t.i for t in r.phrase.toks)}
        elif out and r.phrase.group_word in ("each", "every") and r.pieces and all(
                p.kind == "column" and p.column is not None
                and p.column.table == plan.subject.id for p in r.pieces):
            out |= {t.i for t in r.phrase.toks}  # "each owner's name *and state*"
    return out


def pronoun_pair(t: Tok, toks: list[Tok]) -> bool:
    """The "or" of "his or her", "he or she": a person of either sex, not two readings."""
    pronouns = _SETS["personal_pronouns"]
    return (t.low == "or" and 0 < t.i < len(toks) - 1 and toks[t.i - 1].low in pronouns
            and toks[t.i + 1].low in pronouns)


def _possessive(r: Reading, plan: Plan) -> bool:
    """``each owner's first name``: the subject's name said as an owner ("'s"), then
    only its own columns: one row per owner."""
    toks = r.phrase.toks
    n = len(plan.subject.words)
    if len(toks) <= n or not toks[n - 1].raw.lower().endswith(("'s", "’s")) or tuple(
            t.stem for t in toks[:n]) != plan.subject.words:
        return False
    return bool(r.pieces) and not r.unresolved and all(
        p.kind == "column" and p.column is not None and p.column.table == plan.subject.id
        for p in r.pieces)


def ranked_rows(plan: Plan, parsed: P.Parse) -> None:
    """``What is the hometown of the youngest teacher?``: the columns asked for are shown
    on the row the superlative picks, not made groups of a count."""
    if (not plan.rows or plan.order_column is None or plan.measures or not plan.groups
            or parsed.roles(P.GROUP, P.RANK_GROUP)
            or any(g.unit is not None or g.entity is not None for g in plan.groups)):
        return
    shown = [g.column for g in plan.groups]
    labels = [c for c in plan.rows if c is not plan.order_column]
    extra = [c for c in shown if all(c is not x for x in plan.rows)]
    plan.rows = labels + extra + [plan.order_column]  # the ranking's column last, as always
    plan.groups = []


def as_listing(plan: Plan, parsed: P.Parse, readings: list[Reading]) -> None:
    """Rows instead of a count per distinct value, when nothing asked for a count; each
    different row once when the question says so (``distinct_rows``)."""
    _as_listing(plan, parsed, readings)
    distinct_rows(plan, parsed, readings)


def distinct_rows(plan: Plan, parsed: P.Parse, readings: list[Reading]) -> None:
    """``the different names of singers with songs selling over 300000``: a distinct-word
    right before the columns shown asks for each value once (``SELECT DISTINCT``), not
    one row per song of the join. Elsewhere ("different from") it is left to the audit."""
    if not plan.rows or plan.measures or plan.groups:
        return
    words = lexicon().features["distinct"]
    lows = [t.low for t in parsed.toks]
    shown = {(c.table, c.name) for c in plan.rows}
    for t in parsed.toks:
        if t.low not in words:
            continue
        k = t.i + 1
        while k < len(lows) and lows[k] in FILLERS:
            k += 1
        for r in readings:
            first = next((p for p in r.pieces if r.phrase.toks[p.start].i <= k
                          < r.phrase.toks[p.end - 1].i + 1), None)
            if (first is not None and first.kind == "column" and first.column is not None
                    and (first.column.table, first.column.name) in shown):
                plan.distinct = True
                plan.accounted.add(t.i)


def _as_listing(plan: Plan, parsed: P.Parse, readings: list[Reading]) -> None:
    if plan.measures or plan.rows or not plan.groups or plan.desc is not None or plan.having:
        return
    lex = lexicon()
    asked = lex.features["count"] | lex.features["share"] | lex.features["ranking"] \
        | lex.features["average"] | lex.features["sum"] | lex.features["grouping"]
    rows = _each_row(plan, parsed, readings)
    # "directed by Ben Jones": a value after "by" names who did it, it groups nothing
    valued = {r.phrase.toks[0].i for r in readings
              if r.pieces and all(p.kind == "value" for p in r.pieces) and not r.unresolved}
    # words of a name ("first name") ask for nothing
    named = {t.i for r in readings for p in r.pieces if p.kind == "column"
             for t in r.phrase.toks[p.start:p.end]}
    # words a set condition read ("at least 2 orders") ask for no count or ranking here;
    # "at most 2": with or without the rows that have none is unclear, left to decline
    conditioned = {i for c in plan.conditions if getattr(c, "op", "") in (">", ">=")
                   for i in c.tokens}
    said = {t.low for t in parsed.toks if t.i not in rows | named | conditioned}
    if said & asked or [p for p in parsed.roles(P.GROUP, P.RANK_GROUP)
                        if p.toks[0].i not in rows | valued]:
        return
    if any(g.unit is not None or g.entity is not None for g in plan.groups):
        return
    plan.rows = [g.column for g in plan.groups]
    plan.groups = []
    values: dict[str, set[str]] = {}  # the plan's filters are not made yet: the readings
    for r in readings:
        for p in r.of("value"):
            if p.column is not None and not r.phrase.negated:
                values.setdefault(p.column.name, set()).add(str(p.value))
    fixed = {name for name, said in values.items() if len(said) == 1}
    if all(c.name in fixed for c in plan.rows) and any(
            t.stem in plan.subject.words for r in readings if r.phrase.role == P.WHICH
            for t in r.phrase.toks):
        # "List all cartoons directed by Ben Jones": the cartoons, not the one director
        key = key_column(plan.subject)
        plan.rows = label_columns(plan.subject) or ([key] if key is not None else plan.rows)
    if not asks_order(parsed.toks):
        return
    by = [p.column for r in order_phrases(parsed.toks, readings) for p in r.of("column")
          if p.column is not None]
    col = by[0] if by else plan.rows[0]  # "alphabetically": by what the rows show first
    if all(c is not col for c in plan.rows):
        plan.rows.append(col)
    plan.order_column, plan.desc, plan.limit = col, descending(parsed.toks), None
    plan.explicit_order = True
