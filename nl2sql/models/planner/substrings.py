"""Text filters on part of a value: "a city containing the substring 'West'", "titles
starting with 'The'", "names ending with 'son'".

A quoted text after a cue word ("contains", "starting with", "has the substring") is
a piece of a value, not a value: it filters the text column named right before the cue
(the city in "professionals living in a city containing 'West'"). When no text column
is named there, the question is left alone and the quoted words stay unexplained, so the
planner declines rather than guess which column holds the text. A function of the
builder (``build._Builder``).
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.match import Piece, Reading
from nl2sql.models.planner.plan import Filter
from nl2sql.models.planner.words import Tok

# The builder (build._Builder) passed in; not imported, so the modules form no cycle.
_Builder = Any

# Filter operators (plan.Filter.op) for a part of a text value; sqlexpr renders them.
CONTAINS, STARTS, ENDS = "contains", "starts with", "ends with"
_CUES = {
    **dict.fromkeys(("contain", "contains", "containing", "include", "includes", "including"),
                    CONTAINS),
    **dict.fromkeys(("start", "starts", "starting", "begin", "begins", "beginning"), STARTS),
    **dict.fromkeys(("end", "ends", "ending"), ENDS),
}
# "has the substring 'x'": a verb that says a part only with one of these nouns after it
_HAVING = frozenset({"has", "have", "having", "with"})
_PART_NOUNS = frozenset({"substring", "string", "word", "phrase", "letter", "letters", "text",
                         "characters", "prefix", "suffix"})
# Words allowed between the column and the cue: "a city whose name contains"
_BETWEEN = frozenset({"whose", "which", "that", "where", "its", "their", "name", "names",
                      "is", "are", "a", "an", "the"})


def substrings(b: _Builder) -> None:
    """Add a part-of-text filter for each quoted text a cue introduces."""
    toks = b.parsed.toks
    for k in range(len(toks)):
        found = _cue(toks, k)
        if found is None:
            continue
        op, quoted, words = found
        at = _column_before(b.readings, toks, k)
        if at is None or not str(quoted.raw).strip():
            continue
        piece, reading = at
        assert piece.column is not None
        b.value_filters.append((quoted.i, Filter(b.use(piece.column), op, (quoted.raw,))))
        taken = {x.i for x in words} | {quoted.i} | {
            x.i for x in toks[reading.phrase.toks[piece.end - 1].i + 1:k] if x.low in _BETWEEN}
        b.plan.accounted |= taken
        for r in b.readings:  # the quoted text is no value to look up
            r.unresolved = [x for x in r.unresolved if x.i not in taken]


def _cue(toks: list[Tok], k: int) -> tuple[str, Tok, list[Tok]] | None:
    """(operator, the quoted token, the cue's words) when a cue starts at ``toks[k]``."""
    t = toks[k]
    op = _CUES.get(t.low)
    if op is None and t.low not in _HAVING:
        return None
    j = k + 1
    if op in (STARTS, ENDS):
        if j >= len(toks) or toks[j].low != "with":
            return None
        j += 1
    while j < len(toks) and toks[j].low in ("the", "a", "an"):
        j += 1
    noun = j < len(toks) and toks[j].low in _PART_NOUNS
    if noun:
        j += 1
    if op is None and not noun:
        return None  # "with 'Paid'" is a value, not a part of one
    if j >= len(toks) or not toks[j].quoted:
        return None
    return op or CONTAINS, toks[j], list(toks[k:j])


def _column_before(readings: list[Reading], toks: list[Tok],
                   k: int) -> tuple[Piece, Reading] | None:
    """The text column named last before the cue at ``toks[k]``, with only words like
    "whose name" between them."""
    best: tuple[int, Piece, Reading] | None = None
    for r in readings:
        for p in r.of("column"):
            end = r.phrase.toks[p.end - 1].i
            if end < k and (best is None or end > best[0]):
                best = (end, p, r)
    if best is None:
        return None
    end, piece, reading = best
    col = piece.column
    if col is None or not col.text or col.is_key:
        return None
    if any(x.low not in _BETWEEN for x in toks[end + 1:k]):
        return None
    return piece, reading
