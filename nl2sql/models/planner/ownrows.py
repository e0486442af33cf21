"""A word naming the subject's own rows that the matcher also placed on one of its key
columns: "items" on a table of order items that holds ``inventory_item_id``.

When the table *is* the items, "how many items", "returned items" and "the items we
sold" mean its rows; the key column the word names only in part (``inventory_item_id``
without "inventory") is a coincidence of spelling. The plan counts or measures the rows,
which the interpretation shows as "the number of order items"; the key's values are read
only when said in full ("different inventory items"). Not so where the plan ranks by the
largest or smallest value of a column: "the most returned items" asks for a count, and a
plan ranking brands by their latest ``returned_at`` answers another question.
"""

from __future__ import annotations

from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Piece, Reading
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.words import Tok

# ranking words that say "how many" ("the most items") and those that say "by a value"
_COUNT_RANKS = lexicon().sets["count_ranks"]
_VALUE_RANKS = lexicon().sets["value_ranks"]


def names_own_rows(piece: Piece, said: set[str], subject_words: tuple[str, ...]) -> bool:
    """Whether a key-column piece was said only as the subject's head noun: its words
    (``said``, stemmed) hold the subject's last word and not all of the key's own words."""
    col = piece.column
    if col is None or not col.is_key or piece.says_id or col.boolean or not subject_words:
        return False
    named = {w for w in col.words if w != "id"}
    return subject_words[-1] in said and not named <= said


def own_rows_words(readings: list[Reading], plan: Plan) -> set[int]:
    """Token indexes of words that name the subject's rows, read as those rows."""
    if plan.ranked and any(m.func in ("MAX", "MIN") for m in plan.measures):
        return set()
    head = plan.subject.words[-1:] or ()
    out: set[int] = set()
    for r in readings:
        for p in r.pieces:
            if p.kind != "column" or p.column is None or p.column.table != plan.subject.id:
                continue
            toks = r.phrase.toks[p.start:p.end]
            if names_own_rows(p, {t.stem for t in toks}, plan.subject.words):
                out |= {t.i for t in toks if t.stem in head}
    return out


def ranked_by_a_key(toks: list[Tok], plan: Plan) -> list[str]:
    """"Which category has the most items" ranked by the largest ``inventory_item_id``:
    a count word ranking by the largest or smallest value of a key, which is a label, not
    an amount."""
    words = {t.low for t in toks}
    if not plan.ranked or plan.rows or not words & _COUNT_RANKS or words & _VALUE_RANKS:
        return []
    return [f"the question ranks by how many there are, and I would rank by the "
            f"{'largest' if m.func == 'MAX' else 'smallest'} {m.column.name}"
            for m in plan.measures
            if m.func in ("MAX", "MIN") and m.column is not None and m.column.is_key][:1]
