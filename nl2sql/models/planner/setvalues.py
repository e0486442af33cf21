"""Values said right after a set condition's related rows are theirs.

``battles with no ships lost in the 'English Channel'``: the channel is where the
ships were lost, so it narrows the ships the condition counts (``NOT EXISTS (... AND
location = 'English Channel')``), not the battles. Only a phrase that is nothing but
values of the related table's own columns, separated from the related rows by small
words and the relation's own key words (``lost`` of ``lost_in_battle``), is read so;
anything else is left to the builder and the audit.
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.catalog import Table
from nl2sql.models.planner.cues import RELATING_VERBS, RELATION_PARTICLES
from nl2sql.models.planner.keyroles import says_key
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Filter

_Builder = Any  # build._Builder; not imported, so the modules form no cycle


def values_after(b: _Builder, r: Reading, via: Table) -> tuple[tuple[Filter, ...], set[int]]:
    """(filters on ``via``, the token indexes they account for) from the phrase right
    after ``r``, or nothing."""
    end = r.phrase.toks[-1].i
    after = next((x for x in b.readings if x.phrase.toks[0].i > end), None)
    if after is None or after.unresolved or not after.pieces or any(
            p.kind != "value" or p.column is None or p.column.table != via.id
            for p in after.pieces):
        return (), set()
    lex = lexicon()
    between = b.parsed.toks[end + 1:after.phrase.toks[0].i]
    if any(not (t.low in RELATION_PARTICLES or t.low in RELATING_VERBS
                or t.low in lex.function_words or says_key(t, via, b.s, b.catalog))
           for t in between):
        return (), set()
    by_col: dict[str, list[object]] = {}
    for p in after.pieces:
        assert p.column is not None
        by_col.setdefault(p.column.name, []).append(p.value)
    filters = tuple(Filter(col, "=", tuple(v)) for name, v in by_col.items()
                    if (col := via.column(name)) is not None)
    return filters, {t.i for t in between} | {t.i for t in after.phrase.toks}
