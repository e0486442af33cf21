"""Rows that are still going on, said before the table's name: "current employees",
"active customers" are those whose end date is empty (term_dt, LeftDate, left_on IS NULL);
"former employees" those whose end date is set. The end date is the subject table's one
date column whose name says a row stopped being (``lexicon`` ``ended_words``: term,
left, removed, closed ...); none or two leave the word unaccounted, so the question is
declined naming it. The filter is shown as "<column> not set" / "<column> set".

A word the question's readings already placed (an ``actv_flg`` flag read as "active", a
status value 'Active') is left to them.
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.catalog import Column, Table
from nl2sql.models.planner.features import Unanswerable
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.plan import Filter

_Builder = Any  # build._Builder, passed in (not imported: no cycle)
_SETS = lexicon().sets
ENDED = _SETS["ended_words"]
STARTED = _SETS["started_words"]
SCHEDULED = _SETS["scheduled_words"]
ONGOING = _SETS["ongoing_words"]
FORMER = _SETS["former_words"]


def end_column(table: Table) -> Column | None:
    """The one date column of ``table`` that records when a row stopped being; not one
    that says a start (``term_start_date``: "term" is also a school's term)."""
    dated = [c for c in table.columns or [] if c.temporal]
    if any(set(c.words) & SCHEDULED for c in dated):
        return None  # an end_date may lie ahead: "active" is not "no end date" there
    found = [c for c in dated if set(c.words) & ENDED and not set(c.words) & STARTED]
    return found[0] if len(found) == 1 else None


def ongoing_filters(b: _Builder) -> None:
    """``column IS NULL`` for "current <rows>", ``IS NOT NULL`` for "former <rows>"."""
    # a word of a table's description ("Employees, current and former") places nothing
    placed = {t.i for r in b.readings for p in r.pieces if not p.by_description
              for t in r.phrase.toks[p.start:p.end]}
    subject = {t.i for r in b.readings for p in r.pieces if p.kind == "table" and p.table is b.s
               for t in r.phrase.toks[p.start:p.end]}  # "current staff": the employees
    described = {t.i for r in b.readings for p in r.pieces if p.by_description
                 for t in r.phrase.toks[p.start:p.end]}
    toks = b.parsed.toks
    for k, t in enumerate(toks[:-1]):
        if t.i in placed or t.low not in ONGOING | FORMER or not (
                toks[k + 1].stem in b.s.words or toks[k + 1].i in subject):
            continue
        col = end_column(b.s)
        if col is None and t.i in described:  # else the audit names the word unaccounted
            raise Unanswerable(f"I could not tell which {b.s.id} rows are '{t.raw}': no one "
                               "date column says when a row ended")
        if col is not None:
            op = "IS NULL" if t.low in ONGOING else "IS NOT NULL"
            b.value_filters.append((t.i, Filter(b.use(col), op, ())))
            b.plan.accounted.add(t.i)
