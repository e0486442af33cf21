"""Columns of two related tables listed side by side: "Show titles of songs and names of
singers", "What are the song titles and singer names?", "the cost of each treatment and
the treatment type description".

``listing.coordinate`` lists a phrase joined by "and" to a list of columns when both name
columns of the same tables. Here the second phrase names columns of a table the subject
points at (a many-to-one key: each song has one singer), so each subject row still gives
one row, with its related row's values beside it. A table the subject does not point at
(singers -> their many songs) is left alone: the planner declines rather than pick a way
to pair rows. A function of the builder (``build._Builder``).
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.words import FILLERS, Tok

# The builder (build._Builder) passed in; not imported, so the modules form no cycle.
_Builder = Any


def coordinate_joined(b: _Builder) -> None:
    """List a phrase of a pointed-at table's columns the way the listed phrase before
    its "and" is listed."""
    toks: list[Tok] = b.parsed.toks
    pointed = {j.target.id for j in b.joins}
    readings: list[Reading] = b.readings
    for k, r in enumerate(readings):
        if k == 0 or r.phrase.role != P.CONTEXT:
            continue
        listed = _listed_before(readings, k, toks, b.s.id)
        if listed is None or _between(toks, readings[k - 1], r) != ["and"]:
            continue
        cols = [p.column for p in r.pieces if p.kind == "column" and p.column is not None]
        if (r.unresolved or not cols or len(cols) != len(r.pieces)
                or any(c.is_key for c in cols)
                or not {c.table for c in cols} <= pointed):
            continue
        r.phrase.role, r.phrase.group_word = listed.phrase.role, listed.phrase.group_word
        r.phrase.distinct = listed.phrase.distinct


def _listed_before(readings: list[Reading], k: int, toks: list[Tok],
                   subject: str) -> Reading | None:
    """The listed phrase of the subject's columns before ``readings[k]``, across an
    "of <the subject>" phrase ("titles of songs")."""
    j = k - 1
    prev = readings[j]
    if (prev.phrase.role == P.CONTEXT and len(prev.pieces) == 1 and not prev.unresolved
            and prev.pieces[0].kind == "table" and prev.pieces[0].table is not None
            and prev.pieces[0].table.id == subject and j > 0
            and _between(toks, readings[j - 1], prev) == ["of"]):
        prev = readings[j - 1]
    cols = [p.column for p in prev.pieces if p.kind == "column" and p.column is not None]
    if (prev.phrase.role != P.WHICH or not cols or len(cols) != len(prev.pieces)
            or prev.unresolved or any(c.table != subject for c in cols)):
        return None
    return prev


def _between(toks: list[Tok], a: Reading, b: Reading) -> list[str]:
    return [t.low for t in toks[a.phrase.toks[-1].i + 1:b.phrase.toks[0].i]
            if t.low not in FILLERS]
