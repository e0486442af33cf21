"""How the described tables relate: a graph of many-to-one keys, and join paths over it.

Edges come, most trusted first, from keys the warehouse declares, from column
descriptions that name the column a key holds (``products.id of the item sold``),
and from names: ``x_id`` / ``xId`` / ``XID`` / ``x_code`` pointing at table ``x``
(a role in front, ``major_dept_id``, still points at ``dept``); the same key column
name in two tables where one side is that table's own key (``Course_ID``,
``TailNumber``); and a column named as a role of a table (``OriginAirport``) whose
type and example values match that table's ``AirportCode`` key.

A path is the shortest chain of edges (forwards: many-to-one; backwards: one-to-many,
which multiplies rows) of at most ``MAX_HOPS``. Among shortest paths the one through
tables or key columns the question names wins, then one not through a table both
sides merely point at, then the one without role keys; two that still tie are both
named in a decline: guessing a join gives a confident wrong number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from nl2sql.models.planner.catalog import Catalog, Column, Join, Table, label_columns
from nl2sql.models.planner.features import Unanswerable
from nl2sql.models.planner.plan import Measure, Plan
from nl2sql.models.planner.words import KEY_PREFIXES, split_name, stem

MAX_HOPS = 3
# Last parts of names of columns that identify a row (customer_id, dept_cd, TailNumber).
KEY_ENDINGS = ("id", "key", "sk", "fk", "code", "cd", "no", "num", "nbr", "number")
_RANK = {e: i for i, e in enumerate(KEY_ENDINGS)}
_NOISE = frozenset({"at", "on", "is", "has", "of", "the", "a", "by", "in", "to"})
# "products.id of the item sold": a description that names the column a key holds
_NAMED = re.compile(r"\b(\w+)\.(\w+)\b")
KIND_TRUST = ("declared", "described", "name", "same", "role")


@dataclass(frozen=True)
class Edge:
    """``source.fk`` holds values of ``target.key`` (many-to-one)."""

    source: Table
    fk: Column
    target: Table
    key: Column
    kind: str  # one of KIND_TRUST
    role: bool  # the key's name says more than the target's name (major_dept_id)

    def join(self, backwards: bool = False) -> Join:
        if backwards:  # one-to-many: each source row meets many rows
            return Join(self.target, self.key, self.source, self.fk, many=True)
        return Join(self.source, self.fk, self.target, self.key)


def key_parts(col: Column) -> tuple[tuple[str, ...], str] | None:
    """(words naming what the key identifies, the key ending), or None for a non-key.

    ``major_dept_id`` -> (major, department), id; ``TailNumber`` -> (tail,), number;
    ``EMPID`` -> (employee,), id; ``fkDept`` -> (department,), fk.
    """
    parts = [p for p in split_name(col.name) if p not in _NOISE]
    if len(parts) == 1:  # EMPID, custid: a name glued to its ending
        glued = (re.fullmatch(r"([a-z]{2,})(id|key)", parts[0])
                 if col.name.isupper() and not col.boolean else None)
        if glued is None:
            return ((), parts[0]) if parts[0] in ("id", "key", "pk") else None
        parts = [glued[1], glued[2]]
    if len(parts) > 1 and parts[0] in KEY_PREFIXES:
        return tuple(stem(p) for p in parts[1:]), parts[0]
    if len(parts) > 1 and parts[-1] in KEY_ENDINGS:
        return tuple(stem(p) for p in parts[:-1]), parts[-1]
    return None


def own_key(table: Table, others: frozenset[tuple[str, ...]] = frozenset()) -> Column | None:
    """The column identifying the table's rows: ``id``; a key named for the table
    (``course_id`` in course, ``dept_cd`` in dept); a first-column key named for part of
    it (``student_course_id`` in Student_Enrolment_Courses); a first-column key of a table
    that also holds other facts (``TailNumber`` in Aircraft: not a bridge table). A key
    named for one of the ``others`` (the other tables' names) points there instead."""
    cols = table.columns or []
    named: list[tuple[int, Column]] = []
    for i, c in enumerate(cols):
        kp = key_parts(c)
        if kp is None:
            continue
        words, ending = kp
        if not words:
            return c
        if words == table.words or (i == 0 and set(words) <= set(table.words)
                                    and words not in others):
            named.append((_RANK.get(ending, 0), c))
    if named:
        return min(named, key=lambda x: x[0])[1]
    first = cols[0] if cols else None
    kp = key_parts(first) if first is not None else None
    if first is not None and kp is not None and kp[0] not in others and any(
            key_parts(c) is None for c in cols[1:]):
        return first
    return None


def _keys(catalog: Catalog) -> dict[str, Column | None]:
    """Each described table's own key, read once per catalog."""
    if "own_keys" not in catalog.derived:
        tables = catalog.fetched()
        catalog.derived["own_keys"] = {
            t.id: own_key(t, frozenset(o.words for o in tables
                                       if o is not t and o.dataset == t.dataset))
            for t in tables}
    keys: dict[str, Column | None] = catalog.derived["own_keys"]
    return keys


def key_of(catalog: Catalog, table: Table) -> Column | None:
    return _keys(catalog).get(table.id)


def _compatible(a: Column, b: Column) -> bool:
    return a.numeric == b.numeric and a.text == b.text


def _described(catalog: Catalog, table: Table, col: Column) -> tuple[Table, Column] | None | bool:
    """What a description says a column holds: (table, its key); False when it names
    another table's column that is not that table's key (a copied value: no join)."""
    for t_name, c_name in _NAMED.findall(col.description):
        target = catalog.table(f"{table.dataset}.{t_name}")
        if target is None or target is table or target.columns is None:
            continue
        held = target.column(c_name)
        if held is None:
            continue
        return (target, held) if held is key_of(catalog, target) else False
    return None


def edges_from(catalog: Catalog, table: Table) -> list[Edge]:
    """Many-to-one edges out of ``table``, each column by its most trusted evidence."""
    out: list[Edge] = []
    peers = [t for t in catalog.fetched()
             if t is not table and t.dataset.lower() == table.dataset.lower()]
    mine = key_of(catalog, table)
    for col in table.columns or []:
        found: list[Edge] = []
        for ref in col.references:  # declared by the warehouse
            t_id, _, c_name = ref.rpartition(".")
            target = catalog.table(t_id)
            key = target.column(c_name) if target is not None and target is not table else None
            if target is not None and key is not None:
                found.append(Edge(table, col, target, key, "declared", False))
        described = _described(catalog, table, col) if not found else None
        if described is False:
            continue
        if isinstance(described, tuple):
            found.append(Edge(table, col, described[0], described[1], "described", False))
        if not found and col is not mine:
            found = _by_name(catalog, table, col, peers)
        out += found
    return out


def _by_name(catalog: Catalog, table: Table, col: Column, peers: list[Table]) -> list[Edge]:
    kp = key_parts(col)
    if kp is not None and kp[0]:
        words = kp[0]
        best: list[tuple[int, Table]] = []
        for t in peers:
            n = len(t.words)
            if n and words[-n:] == t.words:
                best.append((n, t))
        if best:  # the longest table name the key ends with (distribution_center_id)
            n = max(b[0] for b in best)
            out = []
            for _, t in sorted((b for b in best if b[0] == n), key=lambda b: b[1].id):
                key = key_of(catalog, t)
                if key is not None and _compatible(col, key):
                    out.append(Edge(table, col, t, key, "name", len(words) > n))
            if out:
                return out
    same = [Edge(table, col, t, k, "same", False) for t in peers
            if (k := key_of(catalog, t)) is not None and k.name.lower() == col.name.lower()
            and _compatible(col, k)]
    if same or kp is not None:
        return same
    return _by_role(catalog, table, col, peers)


def _by_role(catalog: Catalog, table: Table, col: Column, peers: list[Table]) -> list[Edge]:
    """``OriginAirport`` -> Airports.AirportCode: a role word before a table's name, where
    the table's key is that name plus a key ending, of the same type, and the example
    values (when both columns show some) overlap."""
    words = col.words
    out = []
    for t in peers:
        n = len(t.words)
        key = key_of(catalog, t)
        if (not n or len(words) <= n or words[-n:] != t.words or key is None
                or (key_parts(key) or ((), ""))[0] != t.words or not _compatible(col, key)):
            continue
        if col.examples and key.examples and not set(col.examples) & set(key.examples):
            continue
        out.append(Edge(table, col, t, key, "role", True))
    return out


def graph(catalog: Catalog) -> list[Edge]:
    """Every edge among the described tables (self-references left out: they need a
    second copy of the table)."""
    if "edges" not in catalog.derived:
        catalog.derived["edges"] = [e for t in catalog.fetched() for e in edges_from(catalog, t)
                                    if e.target is not e.source]
    edges: list[Edge] = catalog.derived["edges"]
    return edges


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


def _said(path: list[Step], stems: set[str], named: set[str]) -> tuple[int, int]:
    """How much of the path the question names: tables, then words of key columns."""
    inner = {(e.source if b else e.target).id for e, b in path[:-1]}
    words = {w for e, _ in path for w in e.fk.words if e.role}
    # "currently" says current_address_id: a role word the question's word starts with
    return len(inner & named), sum(any(s.startswith(w) for s in stems)
                                   for w in words if len(w) >= 4 or w in stems)


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
                      -KIND_TRUST.index(max((e.kind for e, _ in p), key=KIND_TRUST.index)), p)
                     for p in paths), key=lambda x: x[:4], reverse=True)
    best = scored[0]
    rivals = [s for s in scored[1:] if s[:4] == best[:4]]
    if rivals:
        ways = " or ".join(describe(s[4]) for s in [best, *rivals][:3])
        raise Unanswerable(f"{subject.name} relates to {target.name} in more than one way "
                           f"({ways}); say which one you mean")
    return [e.join(back) for e, back in best[4]]


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
    count_once(plan, catalog)
