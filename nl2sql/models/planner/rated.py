"""Numbers said before a numeric column's word: "5-star reviews" and "reviews with 5
stars" keep the reviews whose ``stars`` is 5; "3-bedroom houses", "houses that have 3
bedrooms" likewise.

Only two forms are read so, since a number before a plural is as often a limit ("the
top 5 scores") or a count of related rows ("customers with 3 orders", a table, not a
column): the number before the word in the singular, as in a compound ("5-star",
"5 star"), and the number right after "with"/"have"/"has"/"had" followed by the
column's word.
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.words import Tok, is_plural

HAVING = frozenset({"with", "have", "has", "had"})
# words that make the number a bound ("more than 20 staff", "at least 3 stars")
BOUNDS = lexicon().features["comparison"] | {"than"}


def number_before(toks: list[Tok],
                  readings: list[Reading]) -> list[tuple[int, Column, tuple[int | float, ...]]]:
    """(token index of the column's words, column, (number,)) for each such number."""
    out: list[tuple[int, Column, tuple[int | float, ...]]] = []
    for r in readings:
        if r.phrase.role not in (P.CONTEXT, P.COUNT):
            continue
        for piece in r.of("column"):
            col = piece.column
            if col is None or not col.numeric or col.is_key:
                continue
            at = r.phrase.toks[piece.start].i
            num = toks[at - 1] if at >= 1 else None
            if num is None or num.number is None or num.quoted or _year(num):
                continue
            if at >= 2 and toks[at - 2].low in BOUNDS:
                continue  # "more than 20 staff": a bound the comparison reads, no value
            compound = not is_plural(toks[at].raw)
            having = at >= 2 and toks[at - 2].low in HAVING
            if compound or having:
                out.append((at, col, (num.number,)))
    return out


def _year(t: Tok) -> bool:
    return isinstance(t.number, int) and len(t.raw) == 4 and 1900 <= t.number <= 2100
