"""Question -> phrases with roles, before looking at any metadata.

A question is read as *cues* (``how many``, ``average``, ``by``, ``top 5``, a
year...) and *phrases* (runs of content words between cues). Each phrase gets
a role from the cues in front of it: what is counted, what is measured, what
the answer is grouped by, or context (filters, owners). Which table, column or
value a phrase means is decided later, against the metadata (``resolve``).

>>> p = parse("How many orders were placed by users from Germany?")
>>> [(s.role, s.text) for s in p.phrases]
[('count', 'orders'), ('group', 'users'), ('context', 'Germany')]
>>> p.phrases[1].agent_candidate
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nl2sql.models.planner.cues import (
    AGG_WORDS,
    COMMON_WORDS,
    COMPARATIVE_HINTS,
    DISTINCT_WORDS,
    ELLIPSIS_STARTS,
    GROUP_WORDS,
    NEGATIONS,
    NEVER,
    OR_MORE,
    PASS_WORDS,
    PCT_WORDS,
    QUESTION_CUES,
    RELATING_VERBS,
    ROW_SUPERLATIVES,
    SUPERLATIVE_AGGS,
    UNIT_HINTS,
    YEAR_OPS,
    Relative,
    comparative,
    equal_list,
    is_year,
    relative,
    versus,
)
from nl2sql.models.planner.words import (
    BOUNDARIES,
    FILLERS,
    MONTHS,
    TIME_ADJECTIVES,
    VERBS,
    Tok,
    is_plural,
    tokenize,
)

# Roles of a phrase.
COUNT = "count"  # how many X / number of X
PCT_BASE = "pct_base"  # percentage of X
MEASURE = "measure"  # average/total/min/max X
GROUP = "group"  # by/per/each X
RANK_GROUP = "rank_group"  # top 5 X / 3 most common X
RANK_MEASURE = "rank_measure"  # (has) the most X / the highest X
WHICH = "which"  # which X ...
ROW_RANK = "row_rank"  # the cheapest X
OF = "of"  # ... of X, right after a counted or measured phrase
CONTEXT = "context"  # everything else: filters, owners, hints


@dataclass
class Cue:
    kind: str
    word: str
    value: Any = None
    at: int = -1  # token index


@dataclass
class Phrase:
    toks: list[Tok]
    role: str = CONTEXT
    aggs: list[str] = field(default_factory=list)
    distinct: bool = False
    negated: bool = False
    desc: bool = True  # ranking direction
    limit: int | None = None
    superlative: tuple[str, bool] | None = None  # ROW_RANK: (kind, descending)
    agent_candidate: bool = False  # "placed by users": maybe the doer, not a grouping
    group_word: str = ""  # the cue that made this a grouping: by, per, each...
    chunk: bool = False
    order_by: bool = False  # "the cheapest product by retail price": what ranks the rows
    related: bool = False  # after "never"/"no"/"more than 2": maybe rows related to another's

    @property
    def text(self) -> str:
        return " ".join(t.raw for t in self.toks)

    @property
    def plural(self) -> bool:
        return any(is_plural(t.raw) for t in self.toks[-1:])


@dataclass
class Comparison:
    op: str
    number: float | int
    after: int  # token index of the comparative word
    hint: str | None = None  # e.g. "age" for "older than"
    end: int = -1  # a comparison with the average: the index after "average"


@dataclass
class Parse:
    question: str
    toks: list[Tok]
    phrases: list[Phrase]
    years: list[tuple[str, int]] = field(default_factory=list)  # (op, year)
    both_years: bool = False  # "in both 2023 and 2024": each year, not a range
    months: list[int] = field(default_factory=list)
    relative: list[tuple[str, str, Relative]] = field(default_factory=list)  # (part, op, when)
    time_units: list[str] = field(default_factory=list)  # from yearly/monthly/...
    comparisons: list[Comparison] = field(default_factory=list)
    versus: list[Comparison] = field(default_factory=list)  # "above the average": number 0,
    # ``after`` the comparative's index, ``end`` the index after "average"
    pct: bool = False
    elliptical: bool = False
    question_like: bool = False  # has a question word, a count or an aggregate

    def roles(self, *roles: str) -> list[Phrase]:
        return [p for p in self.phrases if p.role in roles]


def parse(question: str, chunks: list[tuple[int, int]] | None = None) -> Parse:
    """Read ``question``; ``chunks`` are token spans to keep as one phrase (column
    names containing cue words, e.g. ``number of items`` for ``num_of_item``)."""
    toks = tokenize(question)
    items = _scan(toks, dict(chunks or []))
    out = Parse(question, toks, [])
    _assign(items, out)
    lows = [t.low for t in toks]
    first = "_".join(lows[:2]) if lows[:1] in (["what"], ["how"]) else (lows[0] if lows else "")
    out.elliptical = first in ELLIPSIS_STARTS
    return out


def _scan(toks: list[Tok], chunks: dict[int, int]) -> list[Cue | Phrase]:
    items: list[Cue | Phrase] = []
    n = len(toks)

    def low(k: int) -> str:
        return toks[k].low if 0 <= k < n else ""

    def cue(kind: str, word: str, value: Any = None) -> None:
        items.append(Cue(kind, word, value, at=i))

    def add_word(t: Tok) -> None:
        last = items[-1] if items else None
        if isinstance(last, Phrase) and not last.chunk and not last.toks[-1].quoted:
            last.toks.append(t)
        else:
            items.append(Phrase([t]))

    i = 0
    while i < n:
        t, w, nxt = toks[i], toks[i].low, low(i + 1)
        if i in chunks:
            items.append(Phrase(toks[i:chunks[i]], chunk=True))
            i = chunks[i]
            continue
        if t.quoted:
            items.append(Phrase([t]))
        elif t.number is not None and nxt == "or" and low(i + 2) in OR_MORE and not is_year(t):
            hint = UNIT_HINTS.get(low(i + 3)) or UNIT_HINTS.get(low(i + 4))
            cue("cmp", w, (OR_MORE[low(i + 2)], t.number, hint))  # "2 or more treatments"
            i += 3
            continue
        elif t.number is not None and (t.raw[:1].isdigit() or w not in ("one",)):
            if is_year(t):
                cue("year", w, t.number)
            else:
                cue("num", w, t.number)
        elif w == "how" and nxt in ("many", "much"):
            cue("count" if nxt == "many" else "agg", nxt, None if nxt == "many" else "SUM")
            i += 2
            continue
        elif w in ("number", "count") and nxt == "of":
            cue("count", w)
            i += 2
            continue
        elif (w == "count" and i == 0) or (w in ("count", "number", "frequency") and (
                not nxt or low(i - 1) == "by")):
            cue("count", w)  # "count users", "... by count"
        elif (rel := relative(toks, i)) is not None:
            width, part, op, when = rel
            cue("relative", w, (part, op, when))
            i += width
            continue
        elif (w == "between" and i + 3 < n and toks[i + 1].number is not None
              and low(i + 2) == "and" and toks[i + 3].number is not None
              and not is_year(toks[i + 1])):
            hint = UNIT_HINTS.get(low(i + 4)) or UNIT_HINTS.get(low(i + 5))
            cue("cmp", w, (">=", toks[i + 1].number, hint))
            cue("cmp", w, ("<=", toks[i + 3].number, hint))
            i += 4
            continue
        elif (eq := equal_list(toks, i)) is not None:
            for value in eq[1]:  # "aged either 32 or 33": one value of a list (an IN list)
                cue("cmp", w, ("=", value, COMPARATIVE_HINTS.get(w)))
            i = eq[0]
            continue
        elif (comp := comparative(toks, i)) is not None:
            op, width = comp
            number = toks[i + width].number if i + width < n else None
            if number is not None:
                hint = (COMPARATIVE_HINTS.get(w) or COMPARATIVE_HINTS.get(low(i + 1))
                        or COMPARATIVE_HINTS.get(low(i - 1))
                        or UNIT_HINTS.get(low(i + width + 1)) or UNIT_HINTS.get(low(i + width + 2)))
                cue("cmp", w, (op, number, hint))
                i += width + 1
                continue
            if (avg := versus(toks, i, width)) is not None:  # "above the average"
                cue("versus", w, (op, *avg))
                i = avg[1]
                continue
            cue("boundary", w)
        elif w in ("most", "least", "fewest") and nxt in COMMON_WORDS:
            cue("rank", w, w == "most")
            i += 2
            continue
        elif w in ("most", "least") and nxt == "expensive":
            cue("superlative", w, ("price", w == "most"))
            i += 2
            continue
        elif w == "most" and nxt == "recent":
            cue("superlative", w, ("time", True))
            i += 2
            continue
        elif w in ("most", "least", "fewest"):
            cue("most", w, w == "most")
        elif w in ("top", "bottom"):
            cue("top", w, w == "top")
        elif w in ROW_SUPERLATIVES:
            cue("superlative", w, ROW_SUPERLATIVES[w])
        elif w == "total" and _noun_before(items) and nxt not in ("of", "number", "amount"):
            add_word(t)  # "invoice total": a noun here, not "the total of"
        elif w in AGG_WORDS:
            cue("agg", w, AGG_WORDS[w])
        elif w in DISTINCT_WORDS:
            cue("distinct", w)
        elif w in PCT_WORDS:
            cue("pct", w)
        elif w in GROUP_WORDS:
            cue("group", w)
        elif w in TIME_ADJECTIVES:
            cue("time_unit", w, TIME_ADJECTIVES[w])
        elif w in MONTHS and (w != "may" or toks[i].cap or (nxt.isdigit() and len(nxt) == 4)):
            cue("month", w, MONTHS[w])
        elif w in NEVER:
            cue("never", w)
        elif w == "both" and i + 1 < n and is_year(toks[i + 1]):
            cue("both", w)
        elif w in NEGATIONS or (w == "other" and nxt == "than"):
            cue("not", w)
            i += 2 if w == "other" else 1
            continue
        elif w in FILLERS or w in PASS_WORDS:
            pass
        elif w in BOUNDARIES or w in VERBS or w in QUESTION_CUES:
            cue("question" if w in QUESTION_CUES else "boundary", w)
        else:
            add_word(t)
        i += 1
    return items


def _asks_which(cues: list[Cue]) -> bool:
    """``which X``, ``what are the X``, ``list the X``: the answer is a list of X."""
    words = [c.word for c in cues if c.kind not in ("num", "distinct")]
    while words and words[-1] in ("is", "are", "was", "were", "me", "all"):
        words.pop()
    return words[-1:] in (["which"], ["what"], ["list"], ["show"], ["give"], ["find"])


def _noun_before(items: list[Cue | Phrase]) -> bool:
    return bool(items) and isinstance(items[-1], Phrase) and not items[-1].chunk


def _assign(items: list[Cue | Phrase], out: Parse) -> None:
    """Give each phrase a role from the cues since the previous phrase."""
    cues: list[Cue] = []
    prev: Phrase | None = None
    for k, item in enumerate(items):
        if isinstance(item, Cue):
            cues.append(item)
            _feature(item, items, k, out)
            continue
        _role(item, cues, prev, out)
        out.phrases.append(item)
        prev, cues = item, []
    # Cues after the last phrase ("Which brand is the most popular?") rank the WHICH phrase.
    rank = next((c for c in cues if c.kind in ("rank", "most", "top")), None)
    which = out.roles(WHICH) or out.roles(GROUP)[-1:]
    if rank is not None and which:
        nums = [c.value for c in cues if c.kind == "num" and isinstance(c.value, int)]
        which[0].role, which[0].desc = RANK_GROUP, bool(rank.value)
        which[0].limit = nums[0] if nums else which[0].limit
    # "Orders per user on average": the rows counted per key, averaged over the keys.
    if [c.word for c in cues][-2:] in (["on", "average"], ["on", "avg"]):
        first = out.phrases[0] if out.phrases else None
        if (first is not None and first.role == CONTEXT
                and any(p.role == GROUP and p.group_word == "per" for p in out.phrases)):
            first.role, first.aggs = COUNT, ["AVG"]
    if out.both_years:  # "customers who ordered in both 2023 and 2024": related rows' years
        for p in out.roles(CONTEXT):
            p.related = True
    sup = next((c for c in cues if c.kind == "superlative"), None)
    if sup is not None and which:
        which[0].role, which[0].superlative = ROW_RANK, sup.value
    out.question_like = out.question_like or bool(
        out.roles(COUNT, MEASURE, PCT_BASE, RANK_GROUP, RANK_MEASURE, WHICH, ROW_RANK)
    )


def _feature(cue: Cue, items: list[Cue | Phrase], k: int, out: Parse) -> None:
    before = items[k - 1] if k > 0 else None
    before_word = before.word if isinstance(before, Cue) else ""
    if cue.kind == "year":
        year = int(cue.value)
        two = items[k - 2] if k >= 2 else None
        three = items[k - 3] if k >= 3 else None
        if (before_word == "and" and isinstance(two, Cue) and two.kind == "year"
                and isinstance(three, Cue) and three.word == "both"):
            out.years.append(("=", year))  # "both 2023 and 2024": two years, each one
            out.both_years = True
        elif before_word == "and" and isinstance(two, Cue) and two.kind == "year":
            first = out.years.pop() if out.years else (">=", int(two.value))
            out.years.append((">=", first[1]))
            out.years.append(("<=", year))
        elif (before_word in ("to", "through", "until") and isinstance(two, Cue)
              and two.kind == "year"):
            out.years.append(("<=", year))
        else:
            out.years.append((YEAR_OPS.get(before_word, "="), year))
    elif cue.kind == "relative":
        out.relative.append(cue.value)
    elif cue.kind == "month":
        out.months.append(int(cue.value))
    elif cue.kind == "time_unit":
        out.time_units.append(str(cue.value))
    elif cue.kind == "cmp":
        op, number, hint = cue.value
        out.comparisons.append(Comparison(op, number, cue.at, hint))
    elif cue.kind == "versus":
        op, hint, end = cue.value
        out.versus.append(Comparison(op, 0, cue.at, hint, end))
    elif cue.kind == "pct":
        out.pct = True
    elif cue.kind in ("count", "agg", "question"):
        out.question_like = True


def _role(p: Phrase, cues: list[Cue], prev: Phrase | None, out: Parse) -> None:
    kinds = [c.kind for c in cues]
    nums = [c.value for c in cues if c.kind == "num"]
    limit = int(nums[-1]) if nums and isinstance(nums[-1], int) and nums[-1] > 0 else None
    aggs = [str(c.value) for c in cues if c.kind == "agg" and c.value]
    p.negated = "not" in kinds
    # "never ordered", "no dogs", "more than one order", "not gone through any treatment":
    # perhaps a condition on rows of another table (sets.py decides, with the catalog)
    between = out.toks[prev.toks[-1].i + 1:p.toks[0].i] if prev is not None else []
    p.related = bool({"not", "never", "cmp"} & set(kinds)) or (
        any(t.low in ("any", "some", "ever") for t in between)) or (
        prev is not None and prev.related and len(prev.toks) == 1 and not prev.toks[0].cap
        and (prev.toks[0].low in RELATING_VERBS or prev.toks[0].low.endswith(("ed", "en"))))
    p.distinct = "distinct" in kinds
    which_before = bool(out.roles(WHICH, ROW_RANK))
    if "count" in kinds:
        p.role, p.aggs = COUNT, aggs
    elif "pct" in kinds:
        p.role = PCT_BASE
    elif "superlative" in kinds:
        sup = next(c for c in cues if c.kind == "superlative")
        p.role, p.superlative, p.limit = ROW_RANK, sup.value, limit
    elif "rank" in kinds or "top" in kinds:
        rank = next(c for c in cues if c.kind in ("rank", "top"))
        p.role, p.desc, p.limit = RANK_GROUP, bool(rank.value), limit
    elif "most" in kinds:
        most = next(c for c in cues if c.kind == "most")
        p.role, p.desc, p.aggs = RANK_MEASURE, bool(most.value), aggs
    elif aggs:
        sups = [c for c in cues if c.kind == "agg" and c.word in SUPERLATIVE_AGGS]
        if sups and (which_before or any(c.word == "with" for c in cues)):
            p.role, p.desc = RANK_MEASURE, sups[0].value == "MAX"
            p.aggs = [a for c, a in zip([c for c in cues if c.kind == "agg"], aggs, strict=True)
                      if c.word not in SUPERLATIVE_AGGS]
        else:
            p.role, p.aggs = MEASURE, aggs
    elif "group" in kinds and prev is not None and prev.role == RANK_GROUP and [
            c.word for c in cues] == ["by"]:
        p.role = MEASURE  # "top 3 products by sales amount": what the ranking is by
    elif "group" in kinds and prev is not None and prev.role == ROW_RANK and [
            c.word for c in cues] == ["by"]:
        p.order_by = True  # "cheapest product by retail price": a context phrase
    elif "group" in kinds:
        p.role = GROUP
        words = [c.word for c in cues]
        p.group_word = next(w for w in reversed(words) if w in GROUP_WORDS)
        if "by" in words and words.index("by") > 0:
            before_by = words[words.index("by") - 1]
            p.agent_candidate = before_by in VERBS or before_by.endswith("ed")
        elif words and words[0] == "by" and prev is not None and prev.toks:
            last = prev.toks[-1].low
            p.agent_candidate = last in VERBS or last.endswith("ed")
    elif _asks_which(cues):
        p.role, p.limit = WHICH, limit
    elif (prev is not None and prev.role in (GROUP, RANK_GROUP)
          and [c.word for c in cues] in (["and"], ["or"])):
        p.role, p.group_word = GROUP, prev.group_word  # "by gender and country"
    elif (cues and cues[-1].word == "of" and prev is not None
          and prev.role in (COUNT, MEASURE, PCT_BASE, RANK_MEASURE, ROW_RANK, OF, RANK_GROUP)):
        p.role = OF
    if p.role in (COUNT, MEASURE) and limit is not None:
        p.limit = limit
