"""A question that is only a noun phrase and a condition on counts lists what it names.

"departments with more than 50 employees" and "users with no orders" name no question
word, yet they ask what "Which departments have more than 50 employees?" asks: the
subject's rows that meet the condition, not how many there are. The phrase that opens
the question must name the subject table and nothing else, a set condition
(``sets.relations``) must have been read, and no word may ask for an aggregate; anything
else keeps the reading it had.
Likewise "countries with more than 500 users" groups by the column it opens with.
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Related

_Builder = Any  # build._Builder; not imported, so the modules form no cycle

# words that ask for an aggregate or a grouping rather than the rows themselves
_ASKING = ("count", "share", "sum", "average", "median", "ranking", "grouping")


def listed_by_condition(b: _Builder) -> None:
    """Mark the plan as listing the subject's rows (``row_entity``) for such a question."""
    toks = b.parsed.toks
    if b.row_entity or not toks:
        return
    # any bound, as "Which departments have fewer than 10 employees?" reads it (those with
    # none included); "users with at most 1 order" was answered with a count nobody asked
    related = [c for c in b.plan.conditions if isinstance(c, Related)]
    if not related:
        return
    opening = _opening(b)
    if opening is None or any(p.kind != "table" or p.table is not b.s for p in opening.pieces):
        return
    lex = lexicon()
    asking = set().union(*(lex.features[f] for f in _ASKING))
    conditioned = {i for c in related for i in c.tokens}
    if any(t.low in asking for t in toks if t.i not in conditioned):
        return
    b.row_entity = True


def grouped_by_opening(b: _Builder) -> None:
    """``countries with more than 500 users``: a count condition on groups (``having``)
    and an opening phrase naming one column group by that column, as "Which countries
    have more than 500 users?" does; nothing else to group by leaves the audit's decline."""
    if not b.plan.having or b.plan.groups or b.row_entity:
        return
    opening = _opening(b)
    if opening is None or len(opening.pieces) != 1 or opening.pieces[0].kind != "column":
        return
    b.role_group(opening)


def _opening(b: _Builder) -> Reading | None:
    """The reading of the phrase the question opens with, when it is a bare, fully read
    noun phrase (no question word, no set condition of its own)."""
    opening = next((r for r in b.readings if r.phrase.toks[0].i == 0), None)
    if (opening is None or opening.phrase.role != P.CONTEXT or opening.phrase.related
            or opening.unresolved or not opening.pieces):
        return None
    return opening
