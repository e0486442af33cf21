"""How the described tables relate: join paths over the graph of keys (``keys``).

A path is the shortest chain of edges (forwards: many-to-one; backwards: one-to-many,
which multiplies rows) of at most ``MAX_HOPS``. Among shortest paths the one through
tables or key columns the question names wins (a direction word choosing a role key,
``keyroles``), then one not through a table both sides merely point at, then the one
without role keys; two that still tie are both named in a decline: guessing a join
gives a confident wrong number.
"""

from __future__ import annotations

from collections.abc import Iterable

from nl2sql.models.planner import keyroles
from nl2sql.models.planner.catalog import (
    LABEL_WORDS,
    Catalog,
    Column,
    Join,
    Table,
    label_columns,
)
from nl2sql.models.planner.features import Unanswerable
from nl2sql.models.planner.keys import (  # noqa: F401 - the graph's names, read from here too
    KEY_ENDINGS,
    KIND_TRUST,
    Edge,
    edges_from,
    graph,
    key_of,
    key_parts,
    own_key,
)
from nl2sql.models.planner.plan import GroupKey, Measure, Plan

MAX_HOPS = 3


Step = tuple[Edge, bool]  # an edge, and whether it is walked backwards


def _steps(catalog: Catalog, table: Table) -> list[Step]:
    return ([(e, False) for e in graph(catalog) if e.source is table]
            + [(e, True) for e in graph(catalog) if e.target is table])


def reach(catalog: Catalog, subject: Table) -> list[Table]:
    """The subject and every table within ``MAX_HOPS``, nearest first."""
    seen = {subject.id: 0}
    frontier = [subject]
    for hop in range(1, MAX_HOPS + 1):
        nxt: list[Table] = []
        for t in frontier:
            for e, back in _steps(catalog, t):
                other = e.source if back else e.target
                if other.id not in seen:
                    seen[other.id] = hop
                    nxt.append(other)
        frontier = nxt
    tables = {t.id: t for t in catalog.fetched()}
    return sorted((tables[i] for i in seen if i in tables), key=lambda t: (seen[t.id], t.id))


def _paths(catalog: Catalog, start: Table, goal: Table) -> list[list[Step]]:
    """All shortest simple paths from ``start`` to ``goal`` of at most ``MAX_HOPS``."""
    level: list[tuple[Table, list[Step]]] = [(start, [])]
    for _ in range(MAX_HOPS):
        nxt = []
        for t, path in level:
            visited = {start.id} | {(e.source if b else e.target).id for e, b in path}
            for e, back in _steps(catalog, t):
                other = e.source if back else e.target
                if other.id not in visited:
                    nxt.append((other, path + [(e, back)]))
        done = [p for t, p in nxt if t is goal]
        if done:
            return done
        level = nxt
    return []


def _said(path: list[Step], stems: set[str], named: set[str]) -> tuple[int, int, int]:
    """How much of the path the question names: tables, then words of role keys, then
    the direction its words give role keys (``keyroles``)."""
    inner = {(e.source if b else e.target).id for e, b in path[:-1]}
    roles = [e for e, _ in path if e.role]
    return (len(inner & named), sum(keyroles.said(e.source, e.fk, stems) for e in roles),
            sum(keyroles.towards(e.fk, stems) for e in roles))


def describe(path: list[Step]) -> str:
    return " -> ".join([(path[0][0].target if path[0][1] else path[0][0].source).name]
                       + [f"{(e.source if b else e.target).name} ({e.fk.name})" for e, b in path])


def route(catalog: Catalog, subject: Table, target: Table, stems: Iterable[str] = (),
          named: Iterable[str] = ()) -> list[Join]:
    """The joins from ``subject`` to ``target``; ``stems`` are the question's words and
    ``named`` the ids of the tables it names. Raises Unanswerable when there is no path,
    or two equally plausible ones."""
    paths = _paths(catalog, subject, target)
    if not paths:
        raise Unanswerable(f"I do not see how {subject.id} relates to {target.id}")
    stem_set, named_set = set(stems), {n for n in named}
    scored = sorted(((_said(p, stem_set, named_set), -_shared(p), -sum(e.role for e, _ in p),
                      -sum(keyroles.other_end(e.source, e.fk) for e, _ in p),
                      -KIND_TRUST.index(max((e.kind for e, _ in p), key=KIND_TRUST.index)), p)
                     for p in paths), key=lambda x: x[:5], reverse=True)
    best = scored[0]
    rivals = [s for s in scored[1:] if s[:5] == best[:5]]
    if rivals:
        ways = " or ".join(describe(s[5]) for s in [best, *rivals][:3])
        raise Unanswerable(f"{subject.name} relates to {target.name} in more than one way "
                           f"({ways}); say which one you mean")
    return [e.join(back) for e, back in best[5]]


def _shared(path: list[Step]) -> int:
    """Steps where two tables meet only in a third both point at (course -> department
    <- instructor: "in the same department"); a table that holds both keys (a bridge,
    course <- teaching_assignment -> instructor) relates them directly."""
    return sum(1 for (_, back), (_, back2) in zip(path, path[1:], strict=False)
               if not back and back2)


def count_once(plan: Plan, catalog: Catalog) -> None:
    """A one-to-many join repeats the subject's rows: count its key, not rows; refuse
    sums, averages and shares of the repeated rows (they would count some twice)."""
    if not any(j.many for j in plan.joins) or plan.rows:
        return
    fanned = {plan.subject.id}  # tables reached without a one-to-many step: repeated
    for j in plan.joins:
        if not j.many and j.source.id in fanned:
            fanned.add(j.target.id)
    key = key_of(catalog, plan.subject)
    out = []
    for m in plan.measures:
        if m.func == "COUNT" and m.column is None and not m.condition:
            if not plan.explicit_measures:  # "each owner's name and their dog's size"
                raise Unanswerable("the question does not ask for a count, and I would be "
                                   f"counting {plan.subject.name} across a one-to-many join")
            if key is None:
                raise Unanswerable(f"{plan.subject.name} has no key column to count each "
                                   "row once across the join")
            out.append(Measure("COUNT_DISTINCT", key))
        elif m.func in ("MIN", "MAX", "COUNT_DISTINCT") or (
                m.column is not None and m.column.table not in fanned and m.func != "METRIC"):
            out.append(m)
        else:
            raise Unanswerable(f"joining {plan.subject.name} to "
                               f"{next(j.target.name for j in plan.joins if j.many)} repeats "
                               f"its rows, so its {m.func.lower()} would count some twice")
    aggregated = {(m.column.table, m.column.name) for m in out if m.column is not None
                  and m.func not in ("COUNT_DISTINCT", "COUNT")}
    if any(f.op in ("<", ">", "<=", ">=") and f.part is None
           and (f.column.table, f.column.name) in aggregated for f in plan.filters):
        # "students with an average grade above 3.5": each grade, or each student's average?
        raise Unanswerable("a comparison on a value that is also aggregated across a "
                           "one-to-many join: I cannot tell whether it is about each row "
                           "or each group's aggregate")
    if plan.having:
        raise Unanswerable("a condition on each group's count across a one-to-many join "
                           "is not something I can write reliably")
    plan.measures = out


def direct(catalog: Catalog, table: Table) -> list[Join]:
    """The many-to-one joins out of ``table``."""
    return [e.join() for e in graph(catalog) if e.source is table]


def target_of(catalog: Catalog, table: Table, col: Column) -> Table | None:
    """The table a key column points at: by the graph among described tables, else by
    its name alone (a table not described yet)."""
    edge = next((e for e in graph(catalog) if e.source is table and e.fk is col), None)
    return edge.target if edge is not None else catalog.fk_target(table, col)


def as_rows(plan: Plan) -> None:
    """``What are each owner's name and their dog's name?``: values of each pair a
    one-to-many join makes, not a count nobody asked for (groups said with "each")."""
    if any(g.unit for g in plan.groups) or plan.having or plan.ranked:
        return
    rows: list[Column] = []
    for g in plan.groups:
        # a text code the rows hold ('LGE') reads as it is; a number is shown by its label
        shown = label_columns(g.entity.target) if g.entity and not g.column.text else [g.column]
        rows += [c for c in shown if all(c is not r for r in rows)]
    plan.rows, plan.groups, plan.measures = rows, [], []


def prune(plan: Plan, catalog: Catalog, listed: bool = False) -> None:
    """Keep only joins to tables the query reads something from, and those on the way
    to them; then count each subject row once across one-to-many joins. ``listed``:
    the question's groups are all "each ...", and it asks for no measure."""
    if (listed and plan.groups and any(j.many for j in plan.joins)
            and not plan.explicit_measures and all(
                m.func == "COUNT" and m.column is None for m in plan.measures)):
        as_rows(plan)
    used = {f.column.table for f in plan.filters}
    used |= {f.column.table for m in plan.measures for f in m.condition}
    used |= {m.column.table for m in plan.measures if m.column is not None}
    used |= {g.entity.target.id if g.entity else g.column.table for g in plan.groups}
    used |= {c.table for c in plan.rows}
    kept: list[Join] = []
    for j in reversed(plan.joins):
        if j.target.id in used:
            kept.append(j)
            used.add(j.source.id)
    plan.joins = kept[::-1]
    _groups_by_row(plan)
    count_once(plan, catalog)


def _groups_by_row(plan: Plan) -> None:
    """``names of the high schoolers and how many friends each has``: grouped by the name
    of a joined table's rows, the groups are those rows (two students both named Jordan
    are two groups), shown by that name: group by the row's key too."""
    out = []
    for g in plan.groups:
        join = next((j for j in plan.joins if j.target.id == g.column.table and not j.many
                     and j.target is not plan.subject), None)
        shown = label_columns(join.target) if join is not None else []
        if (join is not None and g.unit is None and g.entity is None  # a name, not a city
                and [c.name for c in shown] == [g.column.name]
                and g.column.words[-1:] and g.column.words[-1] in LABEL_WORDS):
            g = GroupKey(join.fk, entity=join)
        out.append(g)
    plan.groups = out


def joined_and_related(plan: Plan) -> str | None:
    """``battles with no ships lost in the English Channel`` read as a join to ships
    filtered on the channel AND no ships at all: a table both joined and judged by a set
    condition contradicts itself (or double-counts); the reason to decline, if so."""
    joined = {t.id for j in plan.joins for t in (j.source, j.target)} - {plan.subject.id}
    for c in plan.conditions:
        via = getattr(c, "via", None)
        if via is not None and via.id in joined:
            return (f"the question speaks of {via.name} both as rows to join and as a "
                    f"condition on {plan.subject.name}; I cannot tell which part says what")
    return None
