"""Spans of a question that say a column's name with words the parser would otherwise
read as cues ("number of items" for ``num_of_item``, "weekly rank" for ``Weekly_Rank``),
and numbers said right after a numeric column ("in grade 10"): both found against the
catalog before (spans) or beside (numbers) the ordinary reading of phrases.
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Column, Table
from nl2sql.models.planner.cuecolumns import names_cue_column
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.rated import number_before
from nl2sql.models.planner.words import FILLERS, TIME_ADJECTIVES, Tok

# Words that put a column and the number after it in the question ("in grade 10").
NUMBERED_AFTER = lexicon().sets["numbered_after"]


Numbered = tuple[int, Column, tuple[int | float, ...]]


def numbered(toks: list[Tok], readings: list[Reading]) -> list[Numbered]:
    """``high schoolers in grade 10``, ``in grades 9 or 10``: a numeric column named right
    before a number (or numbers joined by "or") holds that number. (token index of the
    column's words, column, numbers)"""
    lows = [t.low for t in toks]
    out: list[Numbered] = []
    for r in readings:
        last = r.pieces[-1] if r.pieces else None
        if (r.phrase.role != P.CONTEXT or last is None or last.kind != "column"
                or last.column is None or last.end != len(r.phrase.toks)
                or not last.column.numeric or last.column.is_key):
            continue
        at = r.phrase.toks[last.start].i
        k = at - 1
        while k >= 0 and lows[k] in FILLERS:
            k -= 1
        if k < 0 or lows[k] not in NUMBERED_AFTER:
            continue
        k = r.phrase.toks[-1].i + 1
        nums: list[int | float] = []
        while k < len(toks) and toks[k].raw[:1].isdigit() and not _year(toks[k]):
            number = toks[k].number
            if number is None:
                break
            nums.append(number)
            if k + 2 < len(toks) and lows[k + 1] == "or":
                k += 2
                continue
            break
        if nums:
            out.append((at, last.column, tuple(nums)))
    return out + number_before(toks, readings)  # rated.py: "5-star", "with 5 stars"


def _year(t: Tok) -> bool:
    """A four-digit year: the parser reads it as a time filter."""
    return isinstance(t.number, int) and len(t.raw) == 4 and 1900 <= t.number <= 2100


def chunk_spans(toks: list[Tok], tables: list[Table]) -> list[tuple[int, int]]:
    """Spans naming a column whose name holds cue words (``number of items`` ->
    ``num_of_item``) or that says it with "of" (``years of experience`` -> ``yrs_exp``),
    so the parser keeps them as one phrase."""
    cue_words = lexicon().sets["name_cues"] | set(TIME_ADJECTIVES)  # "weekly rank"
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        found = 0
        for table in tables:
            for col in table.columns or []:
                if len(col.words) < 2:
                    continue
                k, j, of = 0, i, False
                while j < len(toks) and k < len(col.words):
                    if toks[j].low in FILLERS or (toks[j].low == "of" and k > 0):
                        of = of or toks[j].low == "of"
                        j += 1
                        continue
                    if toks[j].stem != col.words[k]:
                        break
                    k, j = k + 1, j + 1
                if k == len(col.words) and (of or cue_words & set(col.words)):
                    found = max(found, j)
        if not found and names_cue_column(toks, i, tables):  # cuecolumns.py: "maximum share"
            found = i + 1
        if found:
            spans.append((i, found))
            i = found
        else:
            i += 1
    return spans
