"""Averages per thing: what "per" means when an average is asked for.

- ``average number of items per order`` on a table of orders with an item count column:
  each row already is one order, so the average of its column is per order; the "per"
  and its noun say the row's grain (``per_own_rows``), not a grouping.
- ``average number of orders per customer, counting customers who ordered at least
  once``: an average of counts per key (``AVG_COUNT``) only ever sees the keys that have
  rows, so a clause restating that ("counting only customers with at least one order")
  is what the answer already does (``read`` takes it out of the question, ``apply``
  checks it restates exactly that, else the planner declines).

>>> read("average number of orders per customer, counting customers who ordered at least once").rest
'average number of orders per customer'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.words import stem

_Builder = Any  # build._Builder, passed in (no import cycle)

# ", counting (only) customers who ordered at least once / with at least one order"
_QUALIFIER = re.compile(
    r",?\s*\b(?:counting|including|among|considering)\s+(?:only\s+)?(?:the\s+)?"
    r"(?P<noun>[A-Za-z]+)\s+(?:who|that|which|with)\s+(?:have\s+|has\s+|had\s+)?"
    r"(?:(?P<verb>[A-Za-z]+)\s+)?at\s+least\s+(?:once|one\s+(?P<thing>[A-Za-z]+)|1\s+"
    r"(?P<thing1>[A-Za-z]+))\s*[?.]?\s*$", re.I)


@dataclass(frozen=True)
class Qualifier:
    rest: str  # the question without the clause
    said: str  # the clause, as written
    noun: str  # stem of whose rows are averaged over ("customer")
    evidence: tuple[str, ...]  # stems of the verb or noun saying what they have ("order")


def read(question: str) -> Qualifier | None:
    """The clause restating that only things with at least one row are averaged over."""
    m = _QUALIFIER.search(question)
    if m is None:
        return None
    said = tuple(s for w in (m.group("verb"), m.group("thing"), m.group("thing1")) if w
                 for s in _forms(w))
    return Qualifier(question[:m.start()].rstrip(" ,"), m.group(0).strip(" ,"),
                     stem(m.group("noun")), said)


def _forms(word: str) -> tuple[str, ...]:
    """A word's stem, and a past tense's noun ("ordered": order, "placed": place)."""
    low = word.lower()
    past = (low[:-2], low[:-1]) if low.endswith("ed") else ()
    return tuple(dict.fromkeys(stem(w) for w in (low, *past) if w))


def apply(plan: Plan, found: Qualifier, parsed: P.Parse | None) -> str | None:
    """None when ``plan`` averages counts over the very things the clause names, and the
    clause's "at least one" is of the rows counted; else why it cannot be applied."""
    m = plan.measures[0] if len(plan.measures) == 1 else None
    per = [p for p in parsed.roles(P.GROUP) if p.group_word == "per"] if parsed else []
    counted = set(plan.subject.words)
    if (m is None or m.func != "AVG_COUNT" or plan.groups or len(per) != 1
            or found.noun not in {t.stem for t in per[0].toks}
            or not found.evidence or not set(found.evidence) & counted):
        return (f"I cannot tell how '{found.said}' narrows the average; an average per "
                "thing counts only the things that have rows")
    return None


def per_own_rows(b: _Builder) -> None:
    """``average number of items per order`` answered by AVG(num_of_item) over orders:
    "per order" names the rows averaged, so its "per" is accounted for."""
    plan = b.plan
    if plan.groups or len(plan.measures) != 1:
        return
    m = plan.measures[0]
    if m.func not in ("AVG", "MEDIAN") or m.column is None or m.column.table != b.s.id:
        return
    toks = b.parsed.toks
    for r in b.readings:
        phrase = r.phrase
        if phrase.role != P.GROUP or phrase.group_word != "per" or r.unresolved:
            continue
        if not r.pieces or any(p.kind != "table" or p.table is not b.s for p in r.pieces):
            continue
        k = phrase.toks[0].i - 1
        while k >= 0 and toks[k].low in ("a", "an", "the", "each", "one"):
            k -= 1
        if k >= 0 and toks[k].low == "per":
            plan.accounted.add(k)


def notes(found: Qualifier) -> tuple[str, str]:
    """How the clause was read, for the answer's notes."""
    return (found.said, "only those with at least one row are averaged over (an average "
                        "per thing never sees things without rows)")

