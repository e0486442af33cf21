"""Words that say a row came to be: "new users", "signed up", "signups", "joined",
"registrations". They are accounted for when the plan dates the counted rows by the
table's own creation column ("How many new users signed up each year?": users grouped by
the year of created_at); anywhere else they stay unexplained and the planner declines.
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Column, Table
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.words import Tok

# a creation column's name says so: created_at, creation_date, signup_date, joined_on
_CREATION_NAMES = frozenset({"created", "creation", "create", "signup", "registered",
                             "registration", "joined", "join"})
# the question's words for a row coming to be (stems and lower-case forms)
_CREATION_WORDS = frozenset({"signup", "signups", "registration", "registrations", "joined",
                             "join", "joins", "registered", "created", "creation"})
_SIGN_UP = ("signed", "sign")  # "signed up", "sign-ups" (tokenized as "sign", "ups")


def creation_column(table: Table) -> Column | None:
    """The one temporal column named for the row's creation, else None."""
    found = [c for c in table.columns or [] if c.temporal and set(c.words) & _CREATION_NAMES]
    return found[0] if len(found) == 1 else None


def dated_by_creation(plan: Plan) -> bool:
    """The plan filters or buckets its counted rows by their creation column."""
    col = creation_column(plan.subject)
    if col is None:
        return False
    same = (col.table, col.name)
    return (any((f.column.table, f.column.name) == same and (
                f.part is not None or f.op in (">", ">=", "<", "<="))
                for f in plan.filters)
            or any((g.column.table, g.column.name) == same and g.unit is not None
                   for g in plan.groups)
            or (plan.periods is not None and plan.periods.column is not None
                and (plan.periods.column.table, plan.periods.column.name) == same))


def creation_words(plan: Plan, toks: list[Tok]) -> set[int]:
    """Indices of the question's creation words the plan's dates account for."""
    if not dated_by_creation(plan):
        return set()
    subject = set(plan.subject.words)
    out: set[int] = set()
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.low in _CREATION_WORDS or t.stem in _CREATION_WORDS:
            out.add(t.i)
        elif t.low in _SIGN_UP and nxt is not None and nxt.low in ("up", "ups"):
            out |= {t.i, nxt.i}
        elif t.low == "new" and nxt is not None and (
                nxt.stem in subject or nxt.low in subject):
            out.add(t.i)  # "new users": the users created in the period asked about
    return out


def says_creation(toks: list[Tok], k: int, table: Table) -> bool:
    """``toks[k]`` is a word for a row of ``table`` coming to be ("joined", "signed" or
    "up" of "signed up"), and ``table`` has the creation column it would date."""
    t = toks[k]
    nxt = toks[k + 1].low if k + 1 < len(toks) else ""
    before = toks[k - 1].low if k else ""
    said = (t.low in _CREATION_WORDS or t.stem in _CREATION_WORDS
            or (t.low in _SIGN_UP and nxt in ("up", "ups"))
            or (t.low in ("up", "ups") and before in _SIGN_UP))
    return said and creation_column(table) is not None
