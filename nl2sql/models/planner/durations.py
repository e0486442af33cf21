"""Time between two events of one row: "average number of days between an order being
placed and delivered", "average hours from order placement to shipping".

``read`` takes the span out of the question: its aggregate (average, median, ...), its
unit (days, hours, minutes) and its two events, and leaves "how many <rows> ..." so the
rest (the rows, their filters and groups) is planned as usual. ``apply`` links each event
to one timestamp or date column of the planned table, by the event's word ("delivered",
"delivery": delivered_at; "placed", "signed up": the row's creation column), and makes
the measure that difference. Two events that do not each name exactly one column, a
unit that is not said, or hours between dates are declined, never guessed.

>>> r = read("average number of days between an order being placed and delivered")
>>> r.rest, r.func, r.unit, r.start, r.end
('how many orders', 'AVG', 'DAY', ('plac',), ('deliver',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nl2sql.models.planner.catalog import Catalog, Column, Table
from nl2sql.models.planner.plan import Measure, Plan
from nl2sql.models.planner.words import is_plural, stem

_FUNCS = {"average": "AVG", "avg": "AVG", "mean": "AVG", "median": "MEDIAN",
          "total": "SUM", "longest": "MAX", "maximum": "MAX", "max": "MAX",
          "shortest": "MIN", "minimum": "MIN", "min": "MIN"}
_UNITS = {"day": "DAY", "days": "DAY", "hour": "HOUR", "hours": "HOUR", "minute": "MINUTE",
          "minutes": "MINUTE", "second": "SECOND", "seconds": "SECOND"}
_EVENT = r"[A-Za-z_]+(?:\s+[A-Za-z_]+){0,4}?"
_SPAN = re.compile(
    rf"\b(?P<func>{'|'.join(_FUNCS)})\s+(?:number\s+of\s+)?(?:(?P<unit>{'|'.join(_UNITS)})|"
    rf"time|duration|delay|gap)\s+(?:(?:taken|it\s+takes|it\s+took)\s+)?(?P<word>between|from)"
    rf"\s+(?P<a>{_EVENT})\s+(?:and|to|until|till)\s+(?P<b>{_EVENT})"
    rf"(?:\s+in\s+(?P<unit2>{'|'.join(_UNITS)}))?(?=\s*(?:[,?.]|$|\s(?:for|of|among|in|on|"
    rf"by|per|across|during|placed|made|created|where|with|grouped)\b))", re.I)
# Words around an event that say nothing about which column it is.
_NOISE = frozenset({"a", "an", "the", "its", "their", "being", "been", "was", "were", "is",
                    "are", "be", "getting", "got", "gets", "get", "it", "they", "them", "has",
                    "have", "had", "first", "time", "date", "moment"})
# What a question may start with before the span, saying nothing more.
_ASKING = re.compile(r"(?:(?:what|which)(?:'s|\s+is|\s+was|\s+are)?|show(?:\s+me)?|give(?:\s+me)?|"
                     r"tell\s+me|compute|calculate|find|get|list)?\s*(?:the|an?)?\s*", re.I)
# Words of a column's name that only say it holds a time.
_TIME_WORDS = frozenset({"at", "on", "date", "time", "timestamp", "ts", "dt", "datetime", "day"})


@dataclass(frozen=True)
class Span:
    rows: str  # the rows' noun the question said ("orders"), or ""
    others: str  # the question's other words
    func: str  # AVG MEDIAN SUM MIN MAX
    unit: str  # DAY HOUR MINUTE SECOND
    start: tuple[str, ...]  # roots of the first event's words
    end: tuple[str, ...]  # roots of the second event's words
    said: str
    events: tuple[str, str] = ("", "")  # the two events as written

    @property
    def rest(self) -> str:
        """What is planned as usual: "how many <rows> <other words>"."""
        said = {stem(w) for w in re.findall(r"[A-Za-z]+", self.others)}
        rows = "" if stem(self.rows) in said else self.rows  # "... for orders placed in 2025"
        return " ".join(w for w in ("how many", rows, self.others) if w)


# past forms that share no root with their verb ("paid_at" is the "payment")
_IRREGULAR = {"paid": "pay", "sold": "sell", "sent": "send", "bought": "buy", "made": "make",
              "began": "begin", "begun": "begin", "left": "leave", "held": "hold",
              "taken": "take", "given": "give", "written": "write", "lost": "lose",
              "won": "win", "built": "build", "brought": "bring", "caught": "catch"}


def root(word: str) -> str:
    """``delivered``, ``delivery``, ``delivering`` -> ``deliver``; ``shipping``,
    ``shipment`` -> ``ship``; ``placed``, ``placement`` -> ``plac``; ``paid`` -> ``pay``."""
    w = _IRREGULAR.get(word.lower(), word.lower())
    for suffix in ("ment", "ing", "ion", "ed", "y", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[:-len(suffix)]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # shipp -> ship
    return w


# Events that happen when a row comes to be: its creation column.
_CREATION = frozenset(root(w) for w in (
    "placed", "created", "made", "registered", "registration", "signed", "signup", "joined",
    "opened", "started", "submitted", "submission", "logged", "recorded"))


def read(question: str) -> Span | str | None:
    """The time between two events the question asks about; why not, when it says one in
    a way that cannot be read exactly; None when it says none."""
    m = _SPAN.search(question)
    if m is None:
        return None
    unit = m.group("unit") or m.group("unit2")
    if unit is None:
        return f"'{m.group(0)}' does not say in which unit (days, hours, minutes)"
    words_a = [w for w in re.findall(r"[A-Za-z]+", m.group("a")) if w.lower() not in _NOISE]
    words_b = [w for w in re.findall(r"[A-Za-z]+", m.group("b")) if w.lower() not in _NOISE]
    if not words_a or not words_b:
        return None
    noun = ""
    if len(words_a) > 1:  # "an order being placed", "order placement": the rows' noun first
        noun, words_a = words_a[0], words_a[1:]
    if len(words_b) > 1 and noun and stem(words_b[0]) == stem(noun):
        words_b = words_b[1:]
    rows = (noun if is_plural(noun) else noun + "s") if noun else ""
    after = question[m.end():].strip(" ,")
    after = re.sub(r"^(?:for|of|among|on|across)\s+", "", after, flags=re.I)
    before = question[:m.start()].strip()
    others = after if _ASKING.fullmatch(before) else f"{before} {after}"  # "for each X, ..."
    return Span(rows, others.strip(), _FUNCS[m.group("func").lower()], _UNITS[unit.lower()],
                tuple(root(w) for w in words_a), tuple(root(w) for w in words_b),
                m.group(0), (" ".join(words_a), " ".join(words_b)))


def column_for(event: tuple[str, ...], columns: list[Column]) -> Column | None:
    """The one time column an event names: by its words, else the creation column for an
    event that makes the row; None when none or several do."""
    named = [c for c in columns
             if tuple(root(w) for w in c.words if w not in _TIME_WORDS) == event]
    if len(named) == 1:
        return named[0]
    if named or len(event) != 1 or event[0] not in _CREATION:
        return None
    created = [c for c in columns if {root(w) for w in c.words} & {"creat", "creation"}]
    return created[0] if len(created) == 1 else None


def with_rows(found: Span, catalog: Catalog) -> Span | list[Table]:
    """A span that names no rows ("average days from shipping to delivery"): the rows of
    the one table whose columns both events name; the tables to describe first when some
    are not described yet."""
    if found.rows:
        return found
    unseen = [t for t in catalog.tables.values() if t.columns is None]
    if unseen:
        return unseen  # another table may hold both too: look at all of them first
    holders = []
    for t in catalog.tables.values():
        temporal = [c for c in t.columns or [] if c.temporal]
        a, b = column_for(found.start, temporal), column_for(found.end, temporal)
        if a is not None and b is not None and a is not b:
            holders.append(t)
    if len(holders) == 1:
        return replace(found, rows=holders[0].name.replace("_", " "))
    return []


def apply(plan: Plan, found: Span) -> str | None:
    """Make the plan's count the time between the two events; why not, when it cannot."""
    if len(plan.measures) != 1 or plan.measures[0].func != "COUNT" or plan.rows:
        return f"I could not tell whose '{found.said}' the question asks about"
    temporal = [c for c in plan.subject.columns or [] if c.temporal]
    start, end = column_for(found.start, temporal), column_for(found.end, temporal)
    if start is None or end is None or start is end:
        said = found.events[0] if start is None else found.events[1]
        return (f"I could not tell which one date or time column of {plan.subject.name} "
                f"'{said}' is")
    if found.unit != "DAY" and not (_has_time(start) and _has_time(end)):
        return f"{start.name} or {end.name} holds dates, so I cannot count {found.unit.lower()}s"
    plan.measures = [replace(plan.measures[0], func=found.func, column=end, since=start,
                             unit=found.unit)]
    plan.explicit_measures = True
    plan.accounted |= {0, 1}  # the rest's own "how many": it only found the rows
    return None


def _has_time(c: Column) -> bool:
    return c.type.upper() in ("TIMESTAMP", "DATETIME")


def label(m: Measure) -> str:
    """``days from created_at to delivered_at``."""
    assert m.column is not None and m.since is not None
    return f"{(m.unit or 'DAY').lower()}s from {m.since.name} to {m.column.name}"
