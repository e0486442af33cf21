"""Verbs that name how two things the question mentions relate ("the courses they teach").

"Show names of teachers and the courses they teach", "dogs who went through treatments",
"the professional who operated it": the verb says the two entities are related through
their keys (teacher <- course_arrange -> course); it adds no condition of its own. Such a
verb is accounted for only when

- it stands between two mentions of tables (or after the second, referring back to the
  first with "they", "it", "who"), with nothing but small words and other such verbs in
  between;
- it is a relating verb of general English (``cues.RELATING_VERBS``: teach, enrol, borrow,
  operate...) or it names a table or a key column on the way (``arranged``: course_arrange);
  a verb that says more ("returned", "cancelled") is neither, and is left to the audit;
- the key graph joins the two tables in exactly one way (a direct key, a bridge table, or
  a chain), and the plan reads that very path (joins, a set condition, or the key itself).

The reading is recorded (``Plan.relations``: "teach: teacher -> course_arrange ->
course") and shown in the interpretation; a negation before the verb is never taken here
(``sets`` reads "teachers who do not teach any course" as a condition, or the audit
declines). ``pair_rows`` lists both sides of such a relation when a listing names the
second one as a whole ("... and the courses they teach": each teacher's courses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Catalog, Column, Table, label_columns
from nl2sql.models.planner.cues import (
    NEGATIONS,
    NEVER,
    RELATING_VERBS,
    RELATION_PARTICLES,
    Relative,
)
from nl2sql.models.planner.features import Unanswerable
from nl2sql.models.planner.joins import Edge, graph, key_of
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Reading
from nl2sql.models.planner.plan import Plan, Related
from nl2sql.models.planner.setroutes import names_table, verb_roots
from nl2sql.models.planner.words import Tok

_Builder = Any  # build._Builder; not imported, so the modules form no cycle
# Words that point back at a thing already named: "the courses they teach", "who operated it"
BACK = frozenset({"they", "them", "it", "he", "she", "him", "her", "who", "whom", "which",
                  "that"})
DENIED = NEGATIONS | NEVER | {"none", "nobody", "nothing", "nowhere"}
MAX_GAP = 4  # small words between a mention and the verb
Step = tuple[Edge, bool]  # an edge of the key graph, walked backwards (one-to-many) or not


@dataclass(frozen=True)
class Mention:
    """Tokens ``start``..``end`` (exclusive) name ``table`` as a whole."""

    start: int
    end: int
    table: Table
    generic: bool = False  # "the people": a word for anyone, standing for ``table``


@dataclass(frozen=True)
class VerbReading:
    """The verb's words (``tokens``, with the small words around it) read as the one path
    of keys between ``left`` and ``right``."""

    tokens: tuple[int, ...]
    verb: str
    left: Table
    right: Table
    path: tuple[Step, ...]

    def tables(self) -> list[Table]:
        out = [self.left]
        for e, back in self.path:
            out.append(e.source if back else e.target)
        return out

    def describe(self) -> str:
        return f"{self.verb}: " + " -> ".join(t.name for t in self.tables())


def mentions(readings: list[Reading], catalog: Catalog) -> list[Mention]:
    """Tables the question names as a whole (``teachers``, ``the professional``) or by a
    value of theirs (``Math``: a course)."""
    tables = {t.id: t for t in catalog.fetched()}
    out = []
    for r in readings:
        for p in r.pieces:
            table = p.table if p.kind == "table" and not p.by_description else None
            if p.kind == "value" and p.column is not None:
                table = tables.get(p.column.table)  # "teachers who teach Math": a course
            if table is not None:
                toks = r.phrase.toks[p.start:p.end]
                out.append(Mention(toks[0].i, toks[-1].i + 1, table))
    return sorted(out, key=lambda m: m.start)


# Words for anyone or anything: "the names of the people who teach math courses"
GENERIC = frozenset({"people", "person", "persons", "individuals", "ones", "those"})


def _people(toks: list[Tok], readings: list[Reading], catalog: Catalog,
            placed: set[int]) -> list[Mention]:
    """``the names of the people who ...``: a word for anyone right after columns "of
    (the)" stands for the columns' table."""
    out = []
    for r in readings:
        cols = [p.column for p in r.pieces if p.kind == "column" and p.column is not None]
        if not cols or len(cols) != len(r.pieces) or len({c.table for c in cols}) != 1:
            continue
        k = r.phrase.toks[-1].i + 1
        if k < len(toks) and toks[k].low == "of":
            k += 1 + (k + 1 < len(toks) and toks[k + 1].low == "the")
            table = catalog.table(cols[0].table)
            if (k < len(toks) and toks[k].low in GENERIC and k not in placed
                    and table is not None):
                out.append(Mention(k, k + 1, table, generic=True))
    return out


def _small(t: Tok) -> bool:
    return (t.low in RELATION_PARTICLES or t.low in lexicon().function_words
            or t.low in BACK) and t.low not in DENIED


def _verb_like(t: Tok) -> bool:
    return t.low in RELATING_VERBS or lexicon().light(t.low)


def paths(catalog: Catalog, a: Table, b: Table) -> list[tuple[Step, ...]]:
    """Every way the keys join ``a`` to ``b`` as one relation: the shortest paths of up
    to three steps that do not merely meet in a table both point at (course -> department
    <- instructor is "in the same department", not "teaches"); a direct key and a bridge
    table beside it are two ways."""
    edges = graph(catalog)
    level: list[tuple[Table, tuple[Step, ...]]] = [(a, ())]
    found: list[tuple[Step, ...]] = []
    for hops in range(1, 4):
        nxt = []
        for t, path in level:
            seen = {a.id} | {(e.source if back else e.target).id for e, back in path}
            for e in edges:
                for back, here, there in ((False, e.source, e.target), (True, e.target, e.source)):
                    if here is t and there.id not in seen:
                        nxt.append((there, (*path, (e, back))))
        done = [p for t, p in nxt if t is b and not _shared(p)]
        found += done
        if found and (hops >= 2 or not _bridged(edges, a, b)):
            break
        level = [(t, p) for t, p in nxt if t is not b]
    return found


def _shared(path: tuple[Step, ...]) -> bool:
    return any(not back and back2 for (_, back), (_, back2) in zip(path, path[1:], strict=False))


def _bridged(edges: list[Edge], a: Table, b: Table) -> bool:
    """Some table holds keys of both (a bridge), beside a direct key between them."""
    holders = {e.source.id for e in edges if e.target is a} & {
        e.source.id for e in edges if e.target is b}
    return bool(holders - {a.id, b.id})


def _names(t: Tok, path: tuple[Step, ...]) -> bool:
    """``arranged``: the bridge course_arrange; ``lost``: the key lost_in_battle."""
    inner = [(e.source if back else e.target) for e, back in path[:-1]]
    roots = verb_roots(t.low) | {t.low, t.stem}
    keys = [w for e, _ in path for w in e.fk.words if len(w) >= 4]
    return any(names_table(t, x) for x in inner) or any(
        w in roots or any(len(r) >= 4 and w.startswith(r) for r in roots) for w in keys)


def find(toks: list[Tok], readings: list[Reading], catalog: Catalog, taken: set[int],
         unclear: list[str] | None = None) -> list[VerbReading]:
    """The relating verbs of the question, each read as the one path between the two
    tables it relates; ``taken`` are tokens another reading already uses. A verb between
    two tables the keys join in several ways goes to ``unclear``, said in words."""
    placed = {t.i for r in readings for p in r.pieces for t in r.phrase.toks[p.start:p.end]}
    named = sorted(mentions(readings, catalog) + _people(toks, readings, catalog, placed),
                   key=lambda m: m.start)
    out: list[VerbReading] = []
    done: set[int] = set()
    for v in toks:
        if (v.i in placed or v.i in taken or v.i in done or v.cap or v.quoted or _small(v)
                or v.number is not None):
            continue
        before = [m for m in named if m.end <= v.i]
        if not before or v.i - before[-1].end > MAX_GAP:
            continue
        near = before[-1]
        # the small words and verbs back to the mention: "who went", "they are"
        lead = list(range(near.end, v.i))
        if any(k in placed or not (_small(toks[k]) or _verb_like(toks[k])) for k in lead):
            continue
        # then forwards: more verbs and particles ("went through", "arranged to teach")
        j = v.i + 1  # (and words a condition reads: "teach at least two courses")
        starts = {m.start for m in named}
        while j < len(toks) and j not in starts and (j in taken or j not in placed and (
                _small(toks[j]) or _verb_like(toks[j]))):
            j += 1
        after = next((m for m in named if m.start == j), None)
        if after is not None and after.table is not near.table:
            pair, span = (near.table, after.table), [*lead, *range(v.i, j)]
        else:  # "the courses they teach", "the professional who operated it"
            while j > v.i + 1 and not (_verb_like(toks[j - 1]) or toks[j - 1].low in BACK):
                j -= 1  # not the particles after it: "teach in ascending order"
            span = [*lead, *range(v.i, j)]
            others = [m for m in before if m.table is not near.table]
            if not others or not any(toks[i].low in BACK for i in span):
                continue
            pair = (others[-1].table, near.table)  # in the order said
        span = [i for i in span if i not in taken]
        found = paths(catalog, *pair)
        verbs = [i for i in span if not _small(toks[i])]
        if len(found) > 1:  # the verb may name one: "enrolled" the enrolments
            ways = found
            found = [p for p in found if any(_names(toks[i], p) for i in verbs)]
            if len(found) != 1 and unclear is not None and verbs and all(
                    toks[i].low in RELATING_VERBS and not lexicon().light(toks[i].low)
                    for i in verbs):
                said = " or ".join(_way(pair[0], w) for w in ways[:3])
                unclear.append(f"{pair[0].name} and {pair[1].name} are related in more than "
                               f"one way ({said}); I cannot tell which '{toks[verbs[0]].raw}' "
                               "means")
        if len(found) != 1 or not all(_verb_like(toks[i]) or _names(toks[i], found[0])
                                      for i in verbs):
            continue
        done |= set(span)
        span += [near.start] if near.generic else []  # "the people": the teachers
        out.append(VerbReading(tuple(span), " ".join(toks[i].raw for i in verbs), *pair,
                               found[0]))
    return out


def _way(start: Table, path: tuple[Step, ...]) -> str:
    return " -> ".join([start.name] + [f"{(e.source if back else e.target).name} "
                                       f"({e.fk.name})" for e, back in path])


def links(plan: Plan, catalog: Catalog) -> set[frozenset[str]]:
    """Pairs of tables the plan relates by a key: its joins, its set conditions, and a
    key column it reads (``COUNT(DISTINCT dog_id)`` over treatments relates the dogs)."""
    out = {frozenset((j.source.id, j.target.id)) for j in plan.joins}
    for c in plan.conditions:
        if isinstance(c, Related):
            out.add(frozenset((c.via.id, plan.subject.id)))
            if c.target is not None:
                out.add(frozenset((c.via.id, c.target.id)))
    read = [m.column for m in plan.measures if m.column is not None]
    read += [g.column for g in plan.groups] + list(plan.rows)
    for e in graph(catalog):
        if any(c is e.fk for c in read):
            out.add(frozenset((e.source.id, e.target.id)))
    return out


def account(b: _Builder) -> None:
    """Relating verbs whose path the plan reads are accounted for, and named (after the
    plan's joins are settled)."""
    plan: Plan = b.plan
    if _uncalled_count(b):
        return  # a count per group no word asked for: the verb does not make it right
    taken = set(plan.accounted) | {i for c in plan.conditions for i in c.tokens}
    unclear: list[str] = []
    found = find(b.parsed.toks, b.said, b.catalog, taken, unclear)
    if unclear:
        raise Unanswerable(unclear[0] + "; say which one you mean")
    for v in found:
        if not _pair(b, v):
            continue
        if _repeats_for_nothing(plan, v) or _dated_elsewhere(plan, v):
            continue
        linked = links(plan, b.catalog)
        if all(frozenset((e.source.id, e.target.id)) in linked for e, _ in v.path):
            plan.accounted |= set(v.tokens)
            plan.relations.append(v.describe())


def _repeats_for_nothing(plan: Plan, v: VerbReading) -> bool:
    """``the ages of those who borrowed books`` read as members joined to every loan of a
    book: rows of one side repeated once per related row, while the other side neither
    shows nor narrows anything (the question asks which rows have some: a set condition,
    which this reading is not)."""
    if not plan.rows or plan.measures or plan.groups or not any(j.many for j in plan.joins):
        return False
    shown = {c.table for c in plan.rows}
    narrowed = {f.column.table for f in plan.filters}
    sides = {v.left.id, v.right.id}
    return len(sides & shown) == 1 and not (sides - shown) & narrowed


def _dated_elsewhere(plan: Plan, v: VerbReading) -> bool:
    """``members who borrowed a children's book in 2024``: the date is the borrowing's
    (the loans on the way), not the members' joining date; a date filter on a table off
    the way between them reads the verb's time wrongly."""
    inner = {t.id for t in v.tables()[1:-1]}
    timed = [f for f in plan.filters if f.part is not None
             or (f.values and isinstance(f.values[0], Relative))]
    return bool(inner) and any(f.column.table not in inner for f in timed)


def _uncalled_count(b: _Builder) -> bool:
    lex = lexicon()
    asked = lex.features["count"] | lex.features["sum"] | lex.features["share"]
    plan: Plan = b.plan
    return bool(plan.measures) and all(m.func == "COUNT" and m.column is None
                                       for m in plan.measures) and not any(
        t.low in asked or t.stem in asked for t in b.parsed.toks)


# Words that join one more thing to a listing: "and", "together with", "along with"
JOINED = {("and",), ("together", "with"), ("along", "with")}
LEADING = frozenset({"the", "their", "his", "her", "its", "what", "which", "all"})


def _pair(b: _Builder, v: VerbReading) -> bool:
    """``Show names of teachers and the courses they teach``, ``the date of each treatment
    together with the first name of the professional who operated it``: a listing that
    names one side of the relation (as a whole, or columns of it) after "and" lists it
    beside the other, one row per related pair. False when it asks so and cannot."""
    plan: Plan = b.plan
    if not plan.rows or plan.measures or plan.groups:
        return True
    toks = b.parsed.toks
    for side, other in ((v.left, v.right), (v.right, v.left)):
        shown = {c.table for c in plan.rows}
        said = _listed(b.said, side)
        if said is None or side.id in shown:
            continue
        k = said.phrase.toks[0].i - 1
        while k >= 0 and toks[k].low in LEADING:
            k -= 1
        joined = next((w for w in JOINED if k - len(w) + 1 >= 0 and tuple(
            t.low for t in toks[k - len(w) + 1:k + 1]) == w), None)
        if joined is None:
            continue  # "people who teach math courses": the courses are not listed
        cols = [p.column for p in said.pieces if p.column is not None] or _labels(side)
        if other.id not in shown or not cols:
            return False
        if side is not plan.subject:
            b.join_to(side)
        plan.rows += [c for c in cols if all(c is not r for r in plan.rows)]
        plan.accounted |= set(range(k - len(joined) + 1, k + 1))
        key = key_of(b.catalog, side)
        if plan.order_column is not None and key is not None:
            plan.ties.append(key)  # each teacher's courses in the order they were keyed
    return True


def _labels(table: Table) -> list[Column]:
    """What names a row: a text column named as its table (``course.Course``), else the
    usual label columns."""
    own = [c for c in table.columns or [] if c.text and not c.is_key and c.words == table.words]
    return own[:1] or label_columns(table)


def _listed(readings: list[Reading], table: Table) -> Reading | None:
    """The phrase that names ``table`` and nothing else ("the courses", "what course"), or
    only columns of it ("the first name" of the professional)."""
    for r in readings:
        if r.phrase.role not in (P.CONTEXT, P.WHICH) or not r.pieces or r.unresolved:
            continue
        if len(r.pieces) == 1 and r.pieces[0].kind == "table" and r.pieces[0].table is table:
            return r
        if all(p.kind == "column" and p.column is not None and p.column.table == table.id
               for p in r.pieces):
            return r
    return None
