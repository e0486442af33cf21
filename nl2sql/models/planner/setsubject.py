"""The subject's own modifier between the subject and its set condition.

``users who signed up in 2025 have never placed an order``, ``products with a retail
price over $150 that were never ordered``, ``customers from Brazil who placed at least one
order``: the words between the subject and the condition first say something of the
subject itself (its sign-up date, its price, its country). That modifier is read by the
rest of the builder as usual (a date filter, a comparison, a value); the set condition
only needs to know that the words before its own clause still describe the subject.

Read narrowly, so a date or value of the related rows is never taken for the subject's:
the modifier must name a column or value of the subject, hold nothing but such readings,
small words, numbers and comparisons, no negation or other table, and a date in it needs
a date column of the subject named in it, or a word for its creation when it has a
creation column ("signed up in 2025": created_at; a bare "users in 2025 who never ordered"
is left alone, and the audit declines).
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.creation import creation_column, says_creation
from nl2sql.models.planner.cues import UNIT_HINTS, is_year
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.words import MONTHS

_Builder = Any  # build._Builder; not imported, so the modules form no cycle
DENYING = frozenset({"not", "no", "never", "without", "none", "nobody", "any", "ever"})
SYMBOLS = frozenset({"$", "€", "£", "%", ","})


def subject_before(b: _Builder, i: int, owner: dict[int, Reading]) -> int | None:
    """The index of the subject's own word when the words from ``i`` back to it are a
    modifier of the subject (see the module's text), else None."""
    return _walk(b, i, owner)[0]


def subject_date(b: _Builder, i: int, owner: dict[int, Reading]) -> Column | None:
    """The subject's date column a modifier from ``i`` back to the subject names ("who
    signed up in 2023": created_at), when it is such a modifier and names exactly one."""
    at, dates = _walk(b, i, owner)
    return dates[0] if at is not None and len(dates) == 1 else None


def _walk(b: _Builder, i: int, owner: dict[int, Reading]) -> tuple[int | None, list[Column]]:
    toks = b.parsed.toks
    compared = _comparison_tokens(b)
    names_column = dated = False
    dates: list[Column] = []
    lex = lexicon()
    while i >= 0:
        t = toks[i]
        r = owner.get(i)
        if r is not None:
            if any(p.kind == "table" and p.table is b.s for p in r.pieces):
                ok = names_column and (bool(dates) or not dated)
                return (i if ok else None), dates
            cols = [p.column for p in r.pieces]
            if r.unresolved or not cols or any(
                    c is None or c.table != b.s.id for c in cols):
                return None, dates  # another table's words, or words not understood
            names_column = True
            dates += [c for c in cols if c is not None and c.temporal and c not in dates]
        elif says_creation(toks, i, b.s):  # "signed up", "joined": its creation date
            names_column = True
            made = creation_column(b.s)
            dates += [made] if made is not None and made not in dates else []
        elif is_year(t) or t.low in MONTHS:
            dated = True
        elif t.low in DENYING or not (i in compared or t.low in lex.function_words
                                      or t.low in SYMBOLS or t.low in UNIT_HINTS):
            return None, dates
        i -= 1
    return None, dates


def _comparison_tokens(b: _Builder) -> set[int]:
    """Every token of the question's comparisons: "over $150", "at least 3"."""
    toks = b.parsed.toks
    out: set[int] = set()
    for c in b.parsed.comparisons:
        end = next((t.i for t in toks[c.after:] if t.number is not None), None)
        if end is not None and end - c.after <= 4:
            out |= set(range(c.after, end + 1))
    return out
