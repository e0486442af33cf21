"""``both`` with values of the related rows: one condition per value.

``Which patients had both a flu shot and a checkup?``: a patient with some visit for a flu
shot and some visit for a checkup (two ``EXISTS``), not a visit that is both (no row is)
nor a visit that is either (``IN``). Read only when the values all belong to one column of
a table related to the subject (its own rows, or a bridge's target: "students enrolled in
both Math and Art"), the words before ``both`` are relating verbs and small words after
the subject, and nothing else follows; otherwise the audit declines on "both".
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.cues import RELATING_VERBS, RELATION_PARTICLES, is_year
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.plan import Filter, Related
from nl2sql.models.planner.setroutes import one_route, routes

_Builder = Any  # build._Builder; not imported, so the modules form no cycle
_JOINERS = frozenset({"and", "a", "an", "the"})


def both_values(b: _Builder, key: Column) -> None:
    """Add a ``Related`` condition per value said after ``both`` (see the module's text)."""
    toks = b.parsed.toks
    at = [t.i for t in toks if t.low == "both"]
    if len(at) != 1 or (at[0] + 1 < len(toks) and is_year(toks[at[0] + 1])):
        return
    k = at[0]
    after = [r for r in b.readings if r.phrase.toks[-1].i > k]
    if len(after) < 2 or after[0].phrase.toks[0].i > k + 2:
        return
    pieces = [p for r in after for p in r.pieces]
    unresolved = [t for r in after for t in r.unresolved if t.i != k]
    cols = {(p.column.table, p.column.name) for p in pieces if p.column is not None}
    if (unresolved or len(cols) != 1 or len(pieces) < 2
            or any(p.kind != "value" for p in pieces)):
        return
    said = {t.i for r in after for t in r.phrase.toks}
    end = max(said)
    if end != len(toks) - 1 and toks[end + 1].low not in ("?", "."):
        return  # something follows the values: not read here
    if any(t.low not in _JOINERS for t in toks[k + 1:end + 1] if t.i not in said):
        return
    before = [r for r in b.readings if r.phrase.toks[-1].i < k]
    if not before or not any(p.kind == "table" and p.table is b.s for p in before[-1].pieces):
        return
    lex = lexicon()
    verbs = toks[before[-1].phrase.toks[-1].i + 1:k]
    if not verbs or any(not (t.low in RELATING_VERBS or t.low in RELATION_PARTICLES
                             or t.low in lex.function_words) for t in verbs):
        return
    col = pieces[0].column
    assert col is not None
    named = b.catalog.table(col.table)
    if named is None or named is b.s:
        return
    found = routes(b.catalog, b.s, named)
    if not found:
        return
    route = one_route(found, named, b.s)  # raises Unclear: declined by ``relations``
    tokens = tuple(sorted(said | {t.i for t in verbs} | set(range(k, end + 1))))
    for p in pieces:
        own = Filter(col, "=", (p.value,))
        on_via = col.table == route.via.id
        b.plan.conditions.append(Related(
            route.via, route.fk, key, ">=", 1, route.named if route.counted else None,
            route.counted, (own,) if on_via else (), tokens=tokens,
            target_filters=() if on_via else (own,)))
    b.readings = [r for r in b.readings if r not in after]
