"""Words that say an event has not happened, by the prefix "un-": "unpaid visits"
(paid_amount is empty), "uninsured patients" (insurance_type is empty), "unsold stock"
(sold_at is empty). The rest of the word, a past participle, names a column of the
subject's own table: its first word is that participle ("paid_amount", "sold_at") or the
noun of its verb ("insured": insurance_type). The filter is that column IS NULL, shown as
"<column> not set" in the interpretation.

A true/false column (``paid``, ``IsVerified``) is not read: its "not" is false, not
empty. Only where exactly one column of the subject's table fits; none or two (``paid_amount``
and ``paid_date``) leave the word unaccounted, so the question is declined naming it.

>>> participle("unpaid"), participle("uninsured"), participle("under"), participle("unit")
('paid', 'insured', None, None)
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.catalog import Column, Table
from nl2sql.models.planner.events import names_event
from nl2sql.models.planner.plan import Filter

_Builder = Any  # build._Builder, passed in (not imported: no cycle)
MIN_REST = 4  # "unpaid": "paid"; shorter rests ("unit", "undo") are other words
PARTICIPLE_ENDS = ("ed", "id", "ld", "wn", "en")


def participle(word: str) -> str | None:
    """What follows "un-", where it may be a past participle (-ed, paid, sold, known)."""
    rest = word[2:]
    if word.startswith("un") and len(rest) >= MIN_REST and rest.endswith(PARTICIPLE_ENDS):
        return rest
    return None


def unset_column(rest: str, table: Table) -> Column | None:
    """The one column of ``table`` the participle names. Not a true/false flag: "unpaid"
    over ``paid BOOLEAN`` means paid is false, never empty (IS NULL counted no rows)."""
    found = [c for c in table.columns or [] if not c.is_key and not c.boolean and c.words
             and (c.words[0] == rest or names_event(rest, c.words[0]))]
    return found[0] if len(found) == 1 else None


def unset_filters(b: _Builder) -> None:
    """Add ``column IS NULL`` for each un-word no reading placed, and account for it."""
    placed = {t.i for r in b.readings for p in r.pieces for t in r.phrase.toks[p.start:p.end]}
    for t in b.parsed.toks:
        rest = participle(t.low)
        if t.i in placed or rest is None or t.quoted or t.cap:
            continue
        col = unset_column(rest, b.s)
        if col is not None:
            b.value_filters.append((t.i, Filter(b.use(col), "IS NULL", ())))
            b.plan.accounted.add(t.i)
