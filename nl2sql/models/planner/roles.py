"""Roles of the phrases of a question, from the cues in front of them (``parse``).

A phrase after "how many" is counted, after "average" measured, after "by"
grouped, after "top 5" ranked; everything else is context (filters, owners).
"""

from __future__ import annotations

from nl2sql.models.planner.cues import (
    GROUP_WORDS,
    RELATING_VERBS,
    SUPERLATIVE_AGGS,
    YEAR_OPS,
)
from nl2sql.models.planner.phrases import (
    CONTEXT,
    COUNT,
    GROUP,
    MEASURE,
    OF,
    PCT_BASE,
    RANK_GROUP,
    RANK_MEASURE,
    ROW_RANK,
    WHICH,
    Comparison,
    Cue,
    Parse,
    Phrase,
)
from nl2sql.models.planner.words import (
    VERBS,
)


def _asks_which(cues: list[Cue]) -> bool:
    """``which X``, ``what are the X``, ``list the X``: the answer is a list of X."""
    words = [c.word for c in cues if c.kind not in ("num", "distinct")]
    while words and words[-1] in ("is", "are", "was", "were", "me", "all"):
        words.pop()
    return words[-1:] in (["which"], ["what"], ["list"], ["show"], ["give"], ["find"]) or (
        words in (["return"], ["display"]) and cues[0].at == 0)  # "Return the grade of ..."


def noun_before(items: list[Cue | Phrase]) -> bool:
    return bool(items) and isinstance(items[-1], Phrase) and not items[-1].chunk


def assign_roles(items: list[Cue | Phrase], out: Parse) -> None:
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
    elif cue.kind == "quarter":
        out.months.extend(range(3 * int(cue.value) - 2, 3 * int(cue.value) + 1))
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
