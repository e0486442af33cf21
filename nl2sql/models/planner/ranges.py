"""Explicit date ranges: "between 2024-11-29 and 2024-12-02", "from Nov 29 to Dec 2, 2024",
"between March 2024 and May 2024", and a parenthesis that spells out the dates of a range
named in words ("from Black Friday to Cyber Monday 2024 (Nov 29 - Dec 2)"), and ranges
open at one end: "before March 2024" (up to March 1st, excluded), "after March 2024" (from
April 1st), "since June 2024" (from June 1st), "through May 15, 2024" (May 15th included).

``read`` takes the range out of the question and leaves "in YEAR" in its place, so the
rest is planned as usual and its year filter lands on the time column the question is
about (a metric's, or the one its verb names); ``apply`` then replaces that year filter
by the range: ``column >= start AND column < day after end``. A range whose year is not
said, or whose end comes before its start, is declined, never guessed.

>>> r = read("How many orders from Nov 29 to Dec 2 2024?")
>>> r.rest, r.start, r.end
('How many orders in 2024 ?', '2024-11-29', '2024-12-03')
>>> r = read("How many orders were placed before March 2024?")
>>> r.rest, r.start, r.end
('How many orders were placed in 2024 ?', None, '2024-03-01')
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
# One open end: the words before a month or a day, and whether that month or day is in.
_BOUND_WORDS = {"before": ("end", False), "prior to": ("end", False),
                "earlier than": ("end", False), "after": ("start", False),
                "later than": ("start", False), "since": ("start", True),
                "starting": ("start", True), "starting from": ("start", True),
                "on or after": ("start", True), "in or after": ("start", True),
                "from": ("start", True), "through": ("end", True),
                "on or before": ("end", True), "in or before": ("end", True),
                "up to and including": ("end", True), "no later than": ("end", True)}
# "until March", "by March": March itself may or may not be meant; declined, not guessed.
_UNCLEAR_WORDS = ("until", "till", "up to", "up until", "by")
_BOUND = re.compile(
    rf"\b({'|'.join(sorted(list(_BOUND_WORDS) + list(_UNCLEAR_WORDS), key=len, reverse=True))})"
    rf"\s+(?:the\s+)?({_END})(?!\w)(\s+(?:on(?:wards?)?|and\s+later|or\s+later))?", re.I)
_NAMED = re.compile(r"\b(?:from|between)\s+([\w' ]{1,40}?)\s+(?:to|and|until|through)\s+"
                    r"([\w' ]{1,40}?)(?:,?\s+(\d{4}))?\s*$", re.I)


@dataclass(frozen=True)
class Range:
    rest: str  # the question with "in YEAR" where the range was
    start: str | None  # ISO, first day included (None: open at the start)
    end: str | None  # ISO, first day after the range (None: open at the end)
    said: str  # the words read as the range
    year: int  # the year left in the rest, to find the time column by

    @property
    def reading(self) -> str:
        """The range in words, for the answer's notes."""
        if self.start is None:
            return f"before {self.end}"
        return f"{self.start} onwards" if self.end is None else \
            f"{self.start} up to {self.end} (excluded)"


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
        return _open(question)
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


def _open(question: str) -> Range | str | None:
    """A range open at one end: a bound word before a month or a day (``before March
    2024``); a year alone ("before 2024") is a year comparison the parse reads itself."""
    m = _BOUND.search(question)
    if m is None or re.fullmatch(r"\d{4}", m.group(2).strip()):
        return None
    words, said = " ".join(m.group(1).lower().split()), m.group(2)
    if words == "from" and not m.group(3):
        return None  # "orders from March 2024": in March; only "from March 2024 on" is open
    if words in _UNCLEAR_WORDS:
        return (f"'{m.group(0).strip()}' may or may not include {said.strip()}; say 'before' "
                f"or 'through' {said.strip()}")
    side, included = _BOUND_WORDS[words]
    year = _year_of(said)
    if year is None:
        return f"'{m.group(0).strip()}' does not say which year it means"
    try:
        first, last = _date(said, year, last=False), _date(said, year, last=True)
    except ValueError:
        return "the date names a day that does not exist"
    if first is None or last is None:
        return None
    day_after = (last + dt.timedelta(days=1)).isoformat()
    if side == "end":
        start, end = None, day_after if included else first.isoformat()
    else:
        start, end = first.isoformat() if included else day_after, None
    rest = f"{question[:m.start()].rstrip()} in {year} {question[m.end():].lstrip()}"
    return Range(rest.strip(), start, end, m.group(0).strip(), year)


def apply(plan: Plan, found: Range) -> str | None:
    """Replace the year filter the rest produced by the range; why not, when there is none."""
    carriers = [f for f in plan.filters if f.part == "YEAR" and f.op == "="
                and f.values == (found.year,)]
    if len(carriers) != 1:
        return "I found no date column to apply the date range to"
    col = carriers[0].column
    at = plan.filters.index(carriers[0])
    plan.filters[at:at + 1] = [Filter(col, op, (day,), "DATE")
                               for op, day in ((">=", found.start), ("<", found.end)) if day]
    plan.accounted |= {t.i for t in tokenize(found.rest) if t.number == found.year}
    return None
