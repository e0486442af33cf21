"""Readings the planner could take but that would be guesses: they become problems (declines).

- columns asked "of" a table the question names, found in another table;
- a value whose words are another table's name ("regions with no customers").
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Catalog, Column
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Plan


def col_key(c: Column) -> tuple[str, str]:
    return (c.table.lower(), c.name.lower())


def owner_problems(parsed: P.Parse, readings: list[Reading]) -> list[str]:
    """``the id and name of the museum`` read as a visitor's id and name: columns asked
    "of" a table the question names must be that table's."""
    lows = [t.low for t in parsed.toks]
    out: list[str] = []
    for k, r in enumerate(readings[:-1]):
        cols = [p.column for p in r.pieces if p.kind == "column" and p.column is not None]
        if r.phrase.role not in (P.WHICH, P.GROUP) or not cols:
            continue
        nxt = readings[k + 1]
        between = [w for w in lows[r.phrase.toks[-1].i + 1:nxt.phrase.toks[0].i]
                   if w not in lexicon().sets["fillers"]]
        owners = [p.table for p in nxt.pieces[:1] if p.kind == "table"
                  and not p.by_description and p.table is not None]
        if between == ["of"] and owners and any(c.table != owners[0].id for c in cols):
            out.append(f"the question asks for the {cols[0].name} of {owners[0].name}, and I "
                       f"found it in {cols[0].table}")
    return out


def values_naming_tables(readings: list[Reading], plan: Plan, catalog: Catalog) -> list[str]:
    """"regions with no customers" read as ``ReadingSource <> 'Customer'``: a value whose
    words are another table's name may mean that table's rows; reading it as a value of
    some column elsewhere is a guess, so it is named instead."""
    filtered = {col_key(f.column) for f in plan.filters}
    out = []
    for r in readings:
        for p in r.pieces:
            if p.kind != "value" or p.column is None or col_key(p.column) not in filtered:
                continue
            said = tuple(t.stem for t in r.phrase.toks[p.start:p.end])
            named = [t for t in catalog.tables.values()
                     if t.words == said and t.id.lower() != p.column.table.lower()]
            if named:
                out.append(f"'{' '.join(t.raw for t in r.phrase.toks[p.start:p.end])}' names "
                           f"the table {named[0].name}, and I would read it as a value of "
                           f"{p.column.name}")
    return out


def each_row_aggregated(readings: list[Reading], plan: Plan) -> list[str]:
    """``List the weight of each dog and the breed name`` read as the total weight per
    breed: "each <the rows themselves>" asks for one answer per row, and a plan that
    adds the rows up (by another grouping, or none) answers another question."""
    if not plan.measures or all(m.func in ("COUNT", "COUNT_DISTINCT") and m.column is None
                                for m in plan.measures):
        return []
    key = next((c for c in plan.subject.columns or [] if c.is_key
                and c.words == plan.subject.words), None)
    if key is not None and any(col_key(g.column) == col_key(key) for g in plan.groups):
        return []
    for r in readings:
        if (r.phrase.role in (P.GROUP, P.RANK_GROUP) and r.phrase.group_word in ("each", "every")
                and len(r.pieces) == 1 and r.pieces[0].kind == "table"
                and r.pieces[0].table is plan.subject):
            return [f"the question asks about each row of {plan.subject.name}, and I would "
                    "add the rows up"]
    return []
