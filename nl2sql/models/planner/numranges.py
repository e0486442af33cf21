"""An inclusive range of numbers said with "to": "users aged 18 to 24", "aged from 18 to
24", "customers 30 to 49 years old".

Read only where the words say what is measured -- a comparative hint before the range
("aged", "priced") or a unit after it ("years old", "dollars") -- so "rows 1 to 5" or "a
scale of 1 to 10" stay unread. Both ends count ("18 to 24" includes 18 and 24), and the
interpretation shows the range as "at least 18 and at most 24".
"""

from __future__ import annotations

from nl2sql.models.planner.cues import COMPARATIVE_HINTS, UNIT_HINTS, is_year
from nl2sql.models.planner.words import Tok

_TO = ("to", "through", "thru")


def number_range(toks: list[Tok], i: int) -> tuple[int, float, float, str] | None:
    """(tokens read, low end, high end, what is measured) of a range starting at
    ``toks[i]`` (the hint word, "from" or the low number), or None."""
    n = len(toks)
    said = COMPARATIVE_HINTS.get(toks[i].low)  # "aged 18 to 24": read from "aged"
    k = i + 1 if said else i
    k = k + 1 if k < n and toks[k].low == "from" else k
    if k + 2 >= n or toks[k + 1].low not in _TO:
        return None
    lo, hi = toks[k].number, toks[k + 2].number
    if lo is None or hi is None or is_year(toks[k]) or is_year(toks[k + 2]) or not lo < hi:
        return None
    if not toks[k].raw[:1].isdigit() or not toks[k + 2].raw[:1].isdigit():
        return None  # "one to one": no numbers said as figures
    before = toks[i - 1].low if i > 0 else ""
    after = [toks[j].low for j in (k + 3, k + 4) if j < n]
    hint = said or COMPARATIVE_HINTS.get(before) or next(
        (UNIT_HINTS[w] for w in after if w in UNIT_HINTS), None)
    if hint is None:
        return None
    return k + 3 - i, lo, hi, hint
