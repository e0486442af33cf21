"""A flag said as a word before the subject's name in a listing: "List the electric vans",
"Which active members joined in 2024?" -- the rows whose flag holds, shown by their labels.

A WHICH phrase that names the subject and a column is otherwise read as "list that column
for each row" ("which countries do users come from"). For a yes/no column said in front of
the noun that reading listed the flag of every row (``no; no; yes; ...``), a confident wrong
answer: the adjective restricts the rows, it is not what is asked for.
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Table
from nl2sql.models.planner.flags import flag_filter
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Filter


def flag_modifiers(r: Reading, subject: Table) -> list[tuple[int, Filter]]:
    """(token index, filter) for each flag column said before the subject's name in a WHICH
    phrase, when every column the phrase names is such a flag; else none."""
    if r.phrase.role != P.WHICH or r.phrase.negated:
        return []
    table = r.first("table")
    if table is None or table.table is not subject:
        return []
    said = {t.stem for t in r.phrase.toks}
    out: list[tuple[int, Filter]] = []
    for p in r.of("column"):
        assert p.column is not None
        flag = flag_filter(p.column, False, said)
        if flag is None or p.end > table.start or p.column.table != subject.id:
            return []
        out.append((r.phrase.toks[p.start].i, flag))
    return out
