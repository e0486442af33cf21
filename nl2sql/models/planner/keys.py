"""Which columns hold another table's key: the edges of the join graph (``joins``).

Edges come, most trusted first, from keys the warehouse declares, from column
descriptions that name the column a key holds (``products.id of the item sold``),
and from names: ``x_id`` / ``xId`` / ``XID`` / ``x_code`` pointing at table ``x``
(a role in front, ``major_dept_id``, still points at ``dept``); the same key column
name in two tables where one side is that table's own key (``Course_ID``,
``TailNumber``); a column named as a role of a table (``OriginAirport``) whose
type and example values match that table's ``AirportCode`` key; and last, a key-like
column whose name names no table (``friend_id``) but whose values a bounded probe
found all within exactly one table's key (``keyprobe``; read back as
``Catalog.value_keys``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nl2sql.models.planner.catalog import Catalog, Column, Join, Table
from nl2sql.models.planner.words import KEY_PREFIXES, split_name, stem

# Last parts of names of columns that identify a row (customer_id, dept_cd, TailNumber).
KEY_ENDINGS = ("id", "key", "sk", "fk", "code", "cd", "no", "num", "nbr", "number")
_RANK = {e: i for i, e in enumerate(KEY_ENDINGS)}
_NOISE = frozenset({"at", "on", "is", "has", "of", "the", "a", "by", "in", "to"})
# "products.id of the item sold": a description that names the column a key holds
_NAMED = re.compile(r"\b(\w+)\.(\w+)\b")
KIND_TRUST = ("declared", "described", "name", "same", "role", "value")


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
    # the words the question reads the name's shortenings as (``abbrev``: ``orig_whse_cd``
    # names a "warehouse" once the question calls ``whse`` that), so the key meets its
    # table, whose name is read the same way
    read = dict(zip(col.written, col.words, strict=False))
    if len(parts) > 1 and parts[0] in KEY_PREFIXES:
        return tuple(read.get(stem(p), stem(p)) for p in parts[1:]), parts[0]
    if len(parts) > 1 and parts[-1] in KEY_ENDINGS:
        return tuple(read.get(stem(p), stem(p)) for p in parts[:-1]), parts[-1]
    return None


def own_key(table: Table, others: frozenset[tuple[str, ...]] = frozenset()) -> Column | None:
    """The column identifying the table's rows: ``id``; a key named for the table
    (``course_id`` in course, ``dept_cd`` in dept); a first-column key named for part of
    it (``student_course_id`` in Student_Enrolment_Courses); a first-column key of a table
    that also holds other facts (``TailNumber`` in Aircraft: not a bridge table). A key
    named for one of the ``others`` (the other tables' names) points there instead. In a
    table of keys only, a later key named for the table is the other end of a relation
    (``friend_id`` in Friend(student_id, friend_id)), not what identifies its rows."""
    cols = table.columns or []
    named: list[tuple[int, Column]] = []
    pairs_only = len(cols) > 1 and all(key_parts(c) is not None for c in cols)
    for i, c in enumerate(cols):
        kp = key_parts(c)
        if kp is None:
            continue
        words, ending = kp
        if not words:
            return c
        if (words == table.words and not (pairs_only and i > 0)) or (
                i == 0 and set(words) <= set(table.words) and words not in others):
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


def compatible(a: Column, b: Column) -> bool:
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
        held = catalog.value_key(table, col) if not found and col is not mine else None
        if held is not None:  # no name says where it points; its values do (keyprobe)
            found.append(Edge(table, col, held[0], held[1], "value", True))
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
                if key is not None and compatible(col, key):
                    out.append(Edge(table, col, t, key, "name", len(words) > n))
            if out:
                return out
    same = [Edge(table, col, t, k, "same", False) for t in peers
            if (k := key_of(catalog, t)) is not None and k.name.lower() == col.name.lower()
            and compatible(col, k)]
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
                or (key_parts(key) or ((), ""))[0] != t.words or not compatible(col, key)):
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
