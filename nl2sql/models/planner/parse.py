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

from typing import Any

from nl2sql.models.planner.cues import (
    AGG_WORDS,
    COMMON_SUPERLATIVES,
    COMMON_WORDS,
    COMPARATIVE_HINTS,
    DISTINCT_WORDS,
    ELLIPSIS_STARTS,
    GROUP_WORDS,
    MONEY_NOUNS,
    NEGATIONS,
    NEVER,
    OR_MORE,
    PASS_WORDS,
    PCT_WORDS,
    QUESTION_CUES,
    ROW_SUPERLATIVES,
    UNIT_HINTS,
    YEAR_OR,
    comparative,
    equal_list,
    is_year,
    relative,
    versus,
    weekday_words,
)
from nl2sql.models.planner.numranges import number_range
from nl2sql.models.planner.phrases import (
    CONTEXT as CONTEXT,
)
from nl2sql.models.planner.phrases import (  # the parse's data, re-exported: callers use P.COUNT
    COUNT as COUNT,
)
from nl2sql.models.planner.phrases import (
    GROUP as GROUP,
)
from nl2sql.models.planner.phrases import (
    MEASURE as MEASURE,
)
from nl2sql.models.planner.phrases import (
    OF as OF,
)
from nl2sql.models.planner.phrases import (
    PCT_BASE as PCT_BASE,
)
from nl2sql.models.planner.phrases import (
    RANK_GROUP as RANK_GROUP,
)
from nl2sql.models.planner.phrases import (
    RANK_MEASURE as RANK_MEASURE,
)
from nl2sql.models.planner.phrases import (
    RANK_NUMBER as RANK_NUMBER,
)
from nl2sql.models.planner.phrases import (
    ROW_RANK as ROW_RANK,
)
from nl2sql.models.planner.phrases import (
    WHICH as WHICH,
)
from nl2sql.models.planner.phrases import (
    Comparison as Comparison,
)
from nl2sql.models.planner.phrases import (
    Cue as Cue,
)
from nl2sql.models.planner.phrases import (
    Parse as Parse,
)
from nl2sql.models.planner.phrases import (
    Phrase as Phrase,
)
from nl2sql.models.planner.roles import assign_roles, noun_before
from nl2sql.models.planner.words import (
    BOUNDARIES,
    FILLERS,
    MONTHS,
    TIME_ADJECTIVES,
    VERBS,
    Tok,
    tokenize,
)

# "products sorted by price": the sort starts at its verb, which is no word of the phrase
# before it (read as one, "products sorted" looked for a value and lost the sort)
_SORT_VERBS = {"sorted": ("by", "in", "from", "alphabetically", "ascending", "descending",
                          "according"),
               "arranged": ("by", "in", "from", "alphabetically", "ascending", "descending",
                            "according"),
               "ordered": ("by", "alphabetically", "ascending", "descending", "according")}


def parse(question: str, chunks: list[tuple[int, int]] | None = None) -> Parse:
    """Read ``question``; ``chunks`` are token spans to keep as one phrase (column
    names containing cue words, e.g. ``number of items`` for ``num_of_item``)."""
    toks = tokenize(question)
    items = _scan(toks, dict(chunks or []))
    out = Parse(question, toks, [])
    assign_roles(items, out)
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
        elif (is_year(t) and nxt == "or" and low(i + 2) in YEAR_OR
              and (i + 3 >= n or toks[i + 3].number is None)):  # not "2024 or before 2023"
            cue("boundary", YEAR_OR[low(i + 2)])  # "2014 or after": since 2014
            cue("year", w, t.number)
            i += 3
            continue
        elif (w in YEAR_OR and nxt == "or" and low(i + 2) in ("in", "on") and i + 3 < n
              and is_year(toks[i + 3])):
            cue("boundary", YEAR_OR[w])  # "after or in 2014": since 2014
            i += 3
            continue
        elif (span := number_range(toks, i)) is not None:  # "aged 18 to 24": both ends
            cue("cmp", w, (">=", span[1], span[3]))
            cue("cmp", w, ("<=", span[2], span[3]))
            i += span[0]
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
        elif w == "in" and nxt == "total" and any(
                isinstance(c, Cue) and c.kind == "count" for c in items):
            i += 2  # "how many courses in total are listed": the count, not a sum
            continue
        elif w in RANK_NUMBER and nxt == "number" and low(i + 2) == "of":
            cue("most", w, RANK_NUMBER[w])  # "the greatest number of X": the most X
            i += 3
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
            hint = (UNIT_HINTS.get(low(i + 4)) or UNIT_HINTS.get(low(i + 5))
                    or COMPARATIVE_HINTS.get(low(i - 1)))  # "aged between 18 and 24"
            cue("cmp", w, (">=", toks[i + 1].number, hint))
            cue("cmp", w, ("<=", toks[i + 3].number, hint))
            i += 4
            continue
        elif w == "single" and low(i - 1) == "a" and not any(
                low(k) in NEGATIONS | NEVER for k in range(max(0, i - 4), i)):
            cue("cmp", w, ("=", 1, None))  # "users who have a single order": exactly one
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
        elif w in COMMON_SUPERLATIVES:
            cue("rank", w, COMMON_SUPERLATIVES[w])  # "the rarest breed": the least common
        elif w in MONEY_NOUNS and low(i - 1) in ("most", "least"):
            pass  # "spent the most money": the ranking's measure (ranking.money reads it)
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
        elif w in ROW_SUPERLATIVES and "from" in (low(i - 1), low(i - 3)) and (
                "to" in (low(i - 1), low(i + 1))):
            pass  # "ordered from longest to shortest": a direction of order, not one row
        elif w in ROW_SUPERLATIVES:
            cue("superlative", w, ROW_SUPERLATIVES[w])
        elif w == "total" and noun_before(items) and nxt not in ("of", "number", "amount"):
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
        elif (days := weekday_words(toks, i)) is not None:
            cue("time_unit", w, "DAYOFWEEK")  # "by day of the week": Sunday .. Saturday
            i += days
            continue
        elif w in MONTHS and (w != "may" or toks[i].cap or (nxt.isdigit() and len(nxt) == 4)):
            cue("month", w, MONTHS[w])
        elif len(w) == 2 and w[0] == "q" and w[1] in "1234" and (t.cap or nxt.isdigit()):
            cue("quarter", w, int(w[1]))  # "Q3 2025": its three months
        elif w in NEVER:
            cue("never", w)
        elif w == "both" and i + 1 < n and is_year(toks[i + 1]):
            cue("both", w)
        elif w in NEGATIONS or (w == "other" and nxt == "than"):
            cue("not", w)
            i += 2 if w == "other" else 1
            continue
        elif w in _SORT_VERBS and nxt in _SORT_VERBS[w]:
            cue("boundary", w)
        elif w in FILLERS or w in PASS_WORDS:
            pass
        elif w in BOUNDARIES or w in VERBS or w in QUESTION_CUES:
            cue("question" if w in QUESTION_CUES else "boundary", w)
        else:
            add_word(t)
        i += 1
    return items
