"""What a ranking or a count condition counts, when it is not the table the question
names first: "the most common breed" counts dogs per breed; "departments with more
than 1000 visits", two joins away, counts visits per department. ``build`` plans the
question over the counted table instead (the named one becomes its group).
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Catalog, Table
from nl2sql.models.planner.features import Unanswerable
from nl2sql.models.planner.joins import graph, route
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.setroutes import routes


def common_counted(parsed: P.Parse, readings: list[Reading], subject: Table,
                   catalog: Catalog) -> Table | None:
    """``the most common breed``, ``the 5 most common diagnoses``, ``the rarest breed``:
    what is common is counted in the rows that point at it (dogs of each breed). The one
    described table whose key points at the subject; None when the question is not such
    a ranking. Two such tables (products in order items and in inventory items) decline."""
    if not _ranks_own_rows(parsed, readings, subject):
        return None
    sources = {e.source.id: e.source for e in graph(catalog)
               if e.target is subject and e.source is not subject}
    if len(sources) != 1:
        named = " or ".join(sorted(t.name for t in sources.values()))
        raise Unanswerable(
            f"'most common' {subject.name} are counted in the rows that refer to them, and "
            + (f"those could be {named}; say which" if sources else
               f"no table I can see refers to {subject.name}"))
    return next(iter(sources.values()))


def _ranks_own_rows(parsed: P.Parse, readings: list[Reading], subject: Table) -> bool:
    if parsed.roles(P.COUNT, P.MEASURE, P.RANK_MEASURE, P.PCT_BASE, P.ROW_RANK):
        return False
    ranked = [r for r in readings if r.phrase.role == P.RANK_GROUP]
    if len(ranked) != 1:
        return False
    pieces = ranked[0].pieces
    return (len(pieces) == 1 and pieces[0].kind == "table" and pieces[0].table is subject
            and not ranked[0].unresolved)


def counted_instead(parsed: P.Parse, readings: list[Reading], subject: Table,
                    catalog: Catalog) -> Table | None:
    """``Which departments had more than 1000 visits?`` where visits reach departments
    only through doctors: the visits are counted per department (a HAVING on their
    count), when no set condition reads it (no key of theirs points at the subject).
    The table named right after the number, when its rows reach the subject along
    many-to-one keys."""
    if len(parsed.comparisons) != 1 or parsed.comparisons[0].hint:
        return None
    cmp = parsed.comparisons[0]
    if cmp.op not in (">", ">="):
        return None  # "fewer than 10": groups with none have no rows to count here
    which = [r for r in readings if r.phrase.role == P.WHICH]
    if len(which) != 1 or len(which[0].pieces) != 1 or which[0].pieces[0].table is not subject:
        return None
    after = next((r for r in sorted(readings, key=lambda x: x.phrase.toks[0].i)
                  if r.phrase.toks[0].i > cmp.after), None)
    if after is None or after.phrase.toks[0].i > cmp.after + 3 or len(after.pieces) != 1:
        return None
    counted = after.pieces[0].table
    if after.pieces[0].kind != "table" or counted is None or counted is subject or (
            counted.columns is None):
        return None
    if routes(catalog, subject, counted):
        return None  # a set condition reads it (sets.py): "owners with more than 2 dogs"
    path = route(catalog, counted, subject)
    return counted if path and not any(j.many for j in path) else None


def common_wanted(parsed: P.Parse, readings: list[Reading], catalog: Catalog,
                  subject: Table) -> list[Table]:
    """Tables to describe for ``the most common X``: the rest of X's dataset, where the
    rows that point at X may be."""
    if not _ranks_own_rows(parsed, readings, subject):
        return []
    return [t for t in catalog.tables.values() if t.columns is None
            and t.dataset.lower() == subject.dataset.lower()
            and t.id.lower() not in catalog.failed_tables][:12]
