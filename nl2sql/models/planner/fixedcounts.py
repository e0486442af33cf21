"""Counts of the rows holding named values: "How many F grades are there?" counts the
results whose grade is 'F'. Read as the number of *different* grades among them, the
answer could only ever be the number of values named (1 here), which nobody asks for;
the question names the values to count the rows that hold them.

A column that holds a count per row (``obsr_cnt``, ``n_sold``) is likewise no thing to
count the different values of: "how many observers" adds the rows' counts up.
"""

from __future__ import annotations

from collections.abc import Iterable

from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.plan import Measure, Plan


def count_fixed_rows(plan: Plan) -> None:
    """Turn ``COUNT(DISTINCT c)`` into a count of rows where the plan keeps only rows
    whose ``c`` equals values the question names, and ``c`` is the subject's own
    column (a joined table's rows may repeat, its values are not counted so)."""
    fixed = {(f.column.table.lower(), f.column.name.lower()) for f in plan.filters
             if f.op == "=" and f.part is None and f.values}
    for k, m in enumerate(plan.measures):
        c = m.column
        if (m.func == "COUNT_DISTINCT" and c is not None and not m.condition
                and c.table.lower() == plan.subject.id.lower()
                and (c.table.lower(), c.name.lower()) in fixed):
            plan.measures[k] = Measure("COUNT")


# Words that make a numeric column a count held per row: obsr_cnt, item_qty, n_sold.
HELD_LAST = frozenset({"count", "quantity"})
HELD_FIRST = frozenset({"number"})  # number_of_items, n_seats (words.NUMBER_FIRST)


def holds_counts(col: Column) -> bool:
    """A numeric column whose name says it holds a count per row (``obsr_cnt``, ``n_sold``):
    its total answers "how many"."""
    words = col.words
    return (col.numeric and not col.is_key and len(words) >= 2
            and (words[-1] in HELD_LAST or words[0] in HELD_FIRST))


def held_count(col: Column, said: Iterable[str]) -> bool:
    """``How many observers`` over ``obsr_cnt``: the column already holds a count of what
    the question counts, so the rows' counts are added up (the number of *different*
    counts is not what is asked, unless the words say "different")."""
    return holds_counts(col) and not set(said) & lexicon().features["distinct"]
