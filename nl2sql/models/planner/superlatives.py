"""Rows ranked by a column: "the youngest teacher", "the 3 cheapest products", "Where is
the oldest singer from?".

A superlative word names a kind of quantity (age, price, length...); the column it is
about is the one the question names, else the subject's one column of that kind. The
rows are shown by their labels; a "where" question also by the one column naming a
place. Functions of the builder (``build._Builder``).
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.catalog import Column, Table, key_column, label_columns
from nl2sql.models.planner.features import DEFAULT_TOP, Unanswerable
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.words import is_plural, stem

# The builder (build._Builder) passed in; not imported, so the modules form no cycle.
_Builder = Any

KIND_WORDS = {
    "price": ("price", "cost", "amount", "fee", "value", "total"),
    "age": ("age",),
    "length": ("length", "duration", "distance", "millisecond", "second", "minute", "hour",
               "runtime"),
    "weight": ("weight", "mass"),
    "height": ("height",),
    "time": (),
}
PLACE_WORDS = lexicon().sets["place_words"]


def kind_column(kind: str, tables: list[Table]) -> Column | None:
    """The numeric column a word like "cheapest" or "older" is about."""
    for w in KIND_WORDS.get(kind, ()):
        for table in tables:
            for c in table.columns or []:
                if c.numeric and not c.is_key and w in c.words:
                    return c
    return None


def named_plural(r: Reading) -> bool:
    """Whether a phrase names things in the plural, by the last word it placed: in
    "which carrier handles", the carrier, not the verb. A word naming the ranked kind
    of quantity is not the thing ranked: in "the most expensive charge type costs",
    "costs" is the verb or the measure, and the charge type is singular."""
    kind = r.phrase.superlative[0] if r.phrase.superlative else None
    measures = KIND_WORDS.get(kind, ()) if kind else ()
    toks = r.phrase.toks
    placed = [k for p in r.pieces if p.kind != "value" for k in range(p.start, p.end)
              if stem(toks[k].low) not in measures]
    if not placed:
        return r.phrase.plural
    return is_plural(toks[max(placed)].raw)


# -- rows ranked by a column: "the youngest teacher" ------------------------------------


def row_rank(b: _Builder, r: Reading) -> None:
    kind, desc = r.phrase.superlative or ("price", False)
    col = superlative_column(b, kind, r)
    if col is None:
        raise Unanswerable(f"I could not tell what makes a {r.phrase.text} "
                           f"'{'most' if desc else 'least'}' here")
    if kind == "age" and not col.numeric:
        desc = not desc  # oldest = earliest date
    b.plan.explicit_order = True
    b._rows(col, desc, r.phrase.limit or (DEFAULT_TOP if named_plural(r) else 1))
    # "the most recent treatment('s) cost": ranked by date, the cost shown
    shown = [p.column for p in r.of("column") if p.column is not None and p.column is not col]
    place = place_asked(b)
    for c in shown + ([place] if place is not None else []):
        if all(c is not x for x in b.plan.rows):
            b.plan.rows.insert(len(b.plan.rows) - 1, b.use(c))
    # "the age of the oldest dog": what is asked is the ranked value, which rows tied at
    # the cut-off share (ties.py need not probe)
    b.plan.value_only = not shown and place is None and any(
        p.column is col for rd in b.readings for p in rd.of("column"))


def _fits(kind: str, col: Column) -> bool:
    """Whether a column said with a superlative holds its kind of quantity: "the most
    recent" ranks by a date (or a year), "the oldest" by an age or a date; a price, length
    or weight by any number."""
    if kind == "time":
        return col.temporal or (bool(col.words) and col.words[-1] == "year")
    if kind == "age":
        return col.temporal or (col.numeric and "age" in col.words)
    return col.numeric


def superlative_column(b: _Builder, kind: str, r: Reading) -> Column | None:
    by = [p for x in b.readings if x.phrase.order_by for p in x.of("column")]
    said = next((p.column for p in r.of("column") + by if p.column and _fits(kind, p.column)),
                None)
    if said is not None:
        return said
    named = [p.table for p in r.pieces if p.kind == "table" and p.table is not None]
    if len(named) == 1 and named[0] is not b.s and len(r.pieces) == 1:
        # "the breed name of the oldest dog", "the owner of the oldest dog": the dog's age
        # (not the owner's), each dog's breed or owner shown
        return kind_column(kind, [named[0]])
    col = kind_column(kind, [b.s])
    if col is not None:
        return col
    return b.time_column() if kind in ("time", "age") else None


def place_asked(b: _Builder) -> Column | None:
    """``Where is the youngest teacher from?``: the subject's one column naming a place
    (hometown, city, country...), when the question starts with "where"; two such
    columns (birth city and current city) say nothing about which is meant."""
    if not b.parsed.toks or b.parsed.toks[0].low != "where":
        return None
    places = [c for c in b.s.columns or [] if c.text and not c.is_key and any(
        w in PLACE_WORDS or any(w.endswith(p) for p in PLACE_WORDS if len(p) >= 4)
        for w in c.words)]
    return places[0] if len(places) == 1 else None


def rows_of(b: _Builder, col: Column, desc: bool, limit: int) -> None:
    """The subject's rows shown by their labels (or key), ordered by ``col``."""
    labels = label_columns(b.s)
    key = key_column(b.s)
    shown = ([key] if key is not None and not labels else []) + labels
    b.plan.rows = [c for c in shown if c is not col] + [b.use(col)]
    b.plan.order_column, b.plan.desc, b.plan.limit = col, desc, limit
