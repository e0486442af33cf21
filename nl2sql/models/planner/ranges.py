"""Explicit date ranges: "between 2024-11-29 and 2024-12-02", "from Nov 29 to Dec 2, 2024",
"between March 2024 and May 2024", and a parenthesis that spells out the dates of a range
named in words ("from Black Friday to Cyber Monday 2024 (Nov 29 - Dec 2)").

``read`` takes the range out of the question and leaves "in YEAR" in its place, so the
rest is planned as usual and its year filter lands on the time column the question is
about (a metric's, or the one its verb names); ``apply`` then replaces that year filter
by the range: ``column >= start AND column < day after end``. A range whose year is not
said, or whose end comes before its start, is declined, never guessed.

>>> r = read("How many orders from Nov 29 to Dec 2 2024?")
>>> r.rest, r.start, r.end
('How many orders in 2024 ?', '2024-11-29', '2024-12-03')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from nl2sql.models.planner.plan import Filter, Plan
from nl2sql.models.planner.words import MONTHS, tokenize

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# One end of a range: an ISO date, "Nov 29[, 2024]", "29 Nov[ 2024]", "March[ 2024]".
_END = (rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}"
        rf"|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})\.?(?:,?\s+\d{{4}})?"
        rf"|(?:{_MONTH})(?:,?\s+\d{{4}})?)")
_RANGE = re.compile(rf"\b(?:between|from)\s+(?:the\s+)?({_END})\s+(?:and|to|until|till|through|"
                    rf"thru|-)\s+(?:the\s+)?({_END})(?:,?\s+(\d{{4}}))?(?!\w)", re.I)
_GLOSS = re.compile(rf"\(\s*({_END})\s*(?:-|–|to|until|through)\s*({_END})(?:,?\s+(\d{{4}}))?\s*\)",
                    re.I)
# The words a parenthesis glosses: "from Black Friday to Cyber Monday 2024".
_NAMED = re.compile(r"\b(?:from|between)\s+([\w' ]{1,40}?)\s+(?:to|and|until|through)\s+"
                    r"([\w' ]{1,40}?)(?:,?\s+(\d{4}))?\s*$", re.I)


@dataclass(frozen=True)
class Range:
    rest: str  # the question with "in YEAR" where the range was
    start: str  # ISO, first day included
    end: str  # ISO, first day after the range
    said: str  # the words read as the range
    year: int  # the year left in the rest, to find the time column by


def _date(text: str, year: int | None, last: bool) -> dt.date | None:
    """One end: its date (``last``: the last day of a month said alone)."""
    text = text.lower().replace(",", " ").replace(".", " ")
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text.strip())
    if iso:
        return dt.date(*map(int, iso.groups()))
    words = text.split()
    said_year = next((int(w) for w in words if re.fullmatch(r"\d{4}", w)), None)
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    day = next((int(re.sub(r"\D", "", w)) for w in words
                if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", w)), None)
    y = said_year or year
    if month is None or y is None:
        return None
    if day is None:
        if not last:
            return dt.date(y, month, 1)
        following = dt.date(y + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(y, month, day)


def _year_of(text: str) -> int | None:
    found = re.findall(r"\b(\d{4})\b", text)
    return int(found[-1]) if found else None


def read(question: str) -> Range | str | None:
    """The explicit date range of ``question``; a reason to decline when it is said but
    cannot be read precisely; None when there is none."""
    gloss = _GLOSS.search(question)
    m = gloss or _RANGE.search(question)
    if m is None:
        return None
    a, b, tail = m.group(1), m.group(2), m.group(3)
    span_start, span_end = m.start(), m.end()
    if gloss is not None:
        named = _NAMED.search(question[:m.start()])
        if named is None:
            return None  # a parenthesis of dates that glosses no range said in words
        span_start = named.start()
        tail = tail or named.group(3)
    year = _year_of(tail or "") or _year_of(b) or _year_of(a)
    try:
        start, end = _date(a, year, last=False), _date(b, year, last=True)
    except ValueError:
        return "the date range names a day that does not exist"
    if start is None or end is None:
        return "the date range does not say which year it is in"
    if end < start:
        return f"the date range ends ({end}) before it starts ({start})"
    said = question[span_start:span_end].strip()
    rest = f"{question[:span_start].rstrip()} in {start.year} {question[span_end:].lstrip()}"
    return Range(rest.strip(), start.isoformat(), (end + dt.timedelta(days=1)).isoformat(),
                 said, start.year)


def apply(plan: Plan, found: Range) -> str | None:
    """Replace the year filter the rest produced by the range; why not, when there is none."""
    carriers = [f for f in plan.filters if f.part == "YEAR" and f.op == "="
                and f.values == (found.year,)]
    if len(carriers) != 1:
        return "I found no date column to apply the date range to"
    col = carriers[0].column
    at = plan.filters.index(carriers[0])
    plan.filters[at:at + 1] = [Filter(col, ">=", (found.start,), "DATE"),
                               Filter(col, "<", (found.end,), "DATE")]
    plan.accounted |= {t.i for t in tokenize(found.rest) if t.number == found.year}
    return None
