"""A participle negated by "un-" whose verb is the event of a date column: "unsold
inventory" is inventory whose ``sold_at`` is empty, "undelivered orders" orders whose
``delivered_at`` is; said as "inventory not sold", which the planner reads already.

The word is moved behind the noun it describes (up to the next preposition, "by",
"per" or comma), as "not <verb>", and the reading is noted so the interpretation shows
it ("read 'unsold' as 'not sold'"). Words with no such column ("unknown", "unique",
"unused") are left alone.
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Catalog, Table
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.naming import DATE_WORDS, event_column
from nl2sql.models.planner.words import split_name, tokenize

_STOPS = lexicon().sets["boundaries"] | {"by", "per", "each", "grouped", "broken"}


def unprefixed(question: str, catalog: Catalog) -> tuple[str, list[tuple[str, str]]]:
    """``question`` with "un<participle> <noun>" said as "<noun> not <participle>", and
    (said, read as) notes."""
    toks = tokenize(question)
    tables = catalog.fetched()
    for k, t in enumerate(toks):
        verb = t.low[2:]
        if (not t.low.startswith("un") or len(verb) < 4 or t.quoted
                or not _dated(verb, tables)):
            continue
        end = k + 1
        while (end < len(toks) and toks[end].low not in _STOPS and toks[end].number is None
               and not any(c in ",;:?!.()" for c in question[toks[end - 1].end:toks[end].start])):
            end += 1
        noun = question[t.end:toks[end - 1].end].strip() if end > k + 1 else ""
        said = f"{noun} not {verb}".strip()
        rest = question[toks[end - 1].end:] if end > k + 1 else question[t.end:]
        rewritten = question[:t.start] + said + rest
        more, notes = unprefixed(rewritten, catalog)
        return more, [(t.raw, f"not {verb}")] + notes
    return question, []


def _dated(verb: str, tables: list[Table]) -> bool:
    """Whether a date column is the event the participle says: ``sold_at`` for "sold",
    ``delivered_date`` for "delivered", ``ship_date`` for "shipped"."""
    return event_column((verb,), tables, None) is not None or any(
        c.temporal and [p.lower() for p in split_name(c.name)][:1] == [verb]
        and [p.lower() for p in split_name(c.name)][1:] in ([w] for w in DATE_WORDS)
        for t in tables for c in t.columns or [])
