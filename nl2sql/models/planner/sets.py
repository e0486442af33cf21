"""Set conditions: subject rows judged by the rows of another table that point at them.

- none: "users who never ordered", "dogs without treatments", "owners with no dogs";
- a count: "users who placed more than one order", "teachers who teach at least two
  courses" (through a bridge table: distinct courses, not bridge rows);
- some: "dogs that went through any treatment";
- each of two years: "customers who ordered in both 2023 and 2024".

(Comparisons with an aggregate, "priced above the average", are ``versus``; the SQL of
both is ``setsql``.)

Only what is read precisely becomes a condition: the words between the subject, the
negation or count, and the related table must be relating verbs and small words
(``cues.RELATING_VERBS``); anything else is left for the audit, which then declines.
The conditions carry the question's words they account for (``tokens``).
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner import keyroles
from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Catalog, Column, Join, Table, key_column, time_column
from nl2sql.models.planner.cues import (
    NEVER,
    RELATING_VERBS,
    RELATION_PARTICLES,
    UNIT_HINTS,
    is_year,
    relative,
)
from nl2sql.models.planner.features import Unanswerable
from nl2sql.models.planner.joins import key_of
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.match import Matcher, Reading
from nl2sql.models.planner.plan import Filter, Related
from nl2sql.models.planner.setboth import both_values
from nl2sql.models.planner.setongoing import ongoing_related
from nl2sql.models.planner.setroutes import (
    Route,
    Unclear,
    into,
    joins_from,
    named_by_event,
    named_by_verb,
    names_event,
    names_table,
    one_route,
    routes,
)
from nl2sql.models.planner.setsubject import subject_before, subject_date
from nl2sql.models.planner.setvalues import values_after
from nl2sql.models.planner.words import MONTHS, Tok

_Builder = Any  # build._Builder; not imported, so the modules form no cycle
SOME = frozenset({"any", "some", "ever"})
DENY = frozenset({"not", "no", "without", "none"}) | NEVER


def wanted(parsed: P.Parse, readings: list[Reading], catalog: Catalog,
           subject: Table) -> list[Table]:
    """Tables to describe for a set condition: those the related words name ("booked":
    bookings), else, while such words name nothing described, the rest of the dataset
    (a bridge table's name is not said: "teachers who teach no course")."""
    related = [r for r in readings if r.phrase.related and not r.of("value")]
    pending = [t for t in catalog.tables.values() if t.columns is None
               and t.dataset.lower() == subject.dataset.lower()
               and t.id.lower() not in catalog.failed_tables]
    if not pending:
        return []
    toks = list(parsed.toks) if parsed.both_years else [
        t for r in related for t in r.phrase.toks]
    if not toks:
        return []
    named = [t for t in pending if any(names_table(x, t) for x in toks)]
    if named:
        return named
    if any(not r.of("table") for r in related) or not all(
            routes(catalog, subject, p.table) for r in related for p in r.of("table")
            if p.table is not None and p.table is not subject):
        return pending[:12]
    return []


def related_tables(parsed: P.Parse, catalog: Catalog, subject: Table) -> list[Table]:
    """Tables whose values a lookup should search too: the rows related to the subject,
    when the question may judge it by them ("customers with no Paid orders")."""
    if not any(p.related for p in parsed.phrases):
        return []
    return list({j.source.id: j.source for j in into(catalog, subject)}.values())


# -- reading -------------------------------------------------------------------------


def relations(b: _Builder) -> None:
    """Turn the question's set conditions into ``Related`` conditions on the plan."""
    key = key_column(b.s) or key_of(b.catalog, b.s)  # the graph's: a text code (RegionCode)
    joins = into(b.catalog, b.s)
    if key is None or not joins:
        return
    scope = list({t.id: t for t in [j.source for j in joins] + [
        j2.target for j in joins for j2 in joins_from(b.catalog, j.source)
        if j2.target is not b.s]}.values())
    try:
        if b.parsed.both_years:
            _both_years(b, joins, key)
        both_values(b, key)  # setboth.py: "had both a flu shot and a checkup"
        matcher = Matcher(b.parsed.question, b.catalog, scope, b.s)
        for r in reversed(list(b.readings)):  # the last phrase first: "not been arranged
            if r.phrase.related and r in b.readings:  # to teach courses" is one condition
                _related(b, r, matcher, key)
            elif r.phrase.role == P.CONTEXT and r.of("table") and r in b.readings:
                _related(b, r, matcher, key, implied=True)  # "dogs who went through ..."
    except Unclear as e:
        raise Unanswerable(str(e)) from e


def _own_count_column(subject: Table, said: list[Tok]) -> bool:
    """The subject keeps the count itself: a number column named by the counted noun
    (``Num_of_Staff``, ``staff_count``, ``NumEmployees`` for "staff", "employees")."""
    stems = {t.stem for t in said}
    return any(c.numeric and not c.is_key and stems & set(c.words)
               for c in subject.columns or [])


def _names(t: Tok, table: Table) -> int:
    """How well a word names ``table``: as a noun or verb of its rows, or as the verb of
    the event its date records ("borrowed": loans.borrowed_on)."""
    return names_table(t, table) or 2 * names_event(t, table)


def _owner(b: _Builder) -> dict[int, Reading]:
    return {t.i: r for r in b.readings if r.pieces for t in r.phrase.toks}


def _related(b: _Builder, r: Reading, matcher: Matcher, key: Column,
             implied: bool = False) -> None:
    """``implied``: no negation, count or "any" marks the condition; a relating verb right
    before the related rows says there are some ("dogs that received a treatment")."""
    sources = [j.source for j in into(b.catalog, b.s)]
    toks = r.phrase.toks
    k = 0  # "booked a flight", "ordered anything": the verb first, then what it relates to
    named_at = {p.start for p in r.pieces if p.kind == "table"}  # "borrowed books": a noun
    while k < len(toks) and not (k and k in named_at) and (
            toks[k].low in RELATING_VERBS or toks[k].low in RELATION_PARTICLES
            or any(_names(toks[k], t) for t in sources)):
        k += 1
    # read as what is counted: "products" is the table, not a 'product' value somewhere
    again = matcher.read(P.Phrase(toks[k:], role=P.COUNT)) if k < len(toks) else Reading(
        r.phrase)
    tables = [p.table for p in again.pieces if p.kind == "table" and p.table is not None]
    values = [p for p in again.pieces if p.kind == "value" and p.column is not None]
    if len(tables) + len(values) != len(again.pieces) or len(tables) > 1 or b.s in tables:
        return
    if _own_count_column(b.s, toks[k:]):
        return  # "museums with more than 20 staff": Num_of_Staff, not related rows
    # "never ordered anything": the verb names the rows ("ordered": orders)
    named = tables[0] if tables else named_by_verb(toks[:k], sources)
    if named is None and not tables and not values and sum(  # "never borrowed anything"
            t.low not in RELATION_PARTICLES for t in toks[:k]) == 1:
        named = named_by_event(toks[:k], sources)  # (the event's verb its only word)
    held = {p.column.table for p in values if p.column is not None}
    if named is None and len(held) == 1 and b.s.id not in held:
        named = b.catalog.table(held.pop())  # "never taught History": a course's title
    if named is None:
        return
    lex = lexicon()
    naming = {t.i for p in again.pieces if p.table is named
              for t in again.phrase.toks[p.start:p.end]}
    current, ongoing = ongoing_related(again.unresolved, naming, named)  # "current employees"
    if any(t.low not in RELATION_PARTICLES and t.low not in lex.function_words
           and t.i not in current and t.low not in RELATING_VERBS and not _names(t, named)
           and not keyroles.says_key(t, named, b.s, b.catalog)
           for t in list(toks[:k]) + again.unresolved):
        return
    window = _window(b, r.phrase.toks[0].i, named)
    if window is None:
        return
    used, denied, cmp, some = window
    if implied and not denied and cmp is None:  # a verb, not an auxiliary ("does the ...")
        def verb(t: Tok) -> bool:
            return t.low in RELATING_VERBS and (t.low not in lex.function_words
                                                or t.low in ("have", "has", "had"))
        some = any(verb(toks[i]) for i in range(k)) or any(verb(b.parsed.toks[i]) for i in used)
    if (denied and cmp is not None) or not (denied or cmp is not None or some):
        return  # "not more than 2", or no word asking for a condition: not read here
    if cmp is not None and (not isinstance(cmp.number, int) or cmp.number < 0):
        return
    found = routes(b.catalog, b.s, named)
    if not found:
        return
    stems = {t.stem for t in b.parsed.toks}  # which end of a role key (keyroles)
    found = [found[i] for i in keyroles.preferred([(r.via, r.fk) for r in found], stems)]
    route = one_route(found, named, b.s)
    # "a Paid order": a value of the related rows themselves; through a bridge, a value of
    # the table it leads to ("never taught History"); nothing further
    beyond = route.named if route.counted is not None else route.via
    if any(p.column is None or p.column.table not in (route.via.id, beyond.id)
           for p in values) or (ongoing and route.via is not named):
        return
    by_col: dict[tuple[str, str], list[Any]] = {}
    for p in values:
        by_col.setdefault((p.column.table, p.column.name), []).append(  # type: ignore[union-attr]
            p.value)
    filters = tuple(Filter(route.via.column(c), "=", tuple(v))  # type: ignore[arg-type]
                    for (t, c), v in by_col.items() if t == route.via.id)
    target_filters = tuple(Filter(beyond.column(c), "=", tuple(v))  # type: ignore[arg-type]
                           for (t, c), v in by_col.items() if t != route.via.id)
    op, count = (cmp.op, int(cmp.number)) if cmp is not None else ("=", 0) if denied else (
        ">=", 1)  # "dogs that went through any treatment": some
    if cmp is not None:
        b.consumed.add(cmp.after)
    bounds, compared = _compared_after(b, r.phrase.toks[-1].i, route.via, matcher)
    narrowed, said_after = values_after(b, r, route.via)  # "ships lost in the Channel"
    filters += bounds + narrowed + ongoing
    gone = set(used) | _said_of(b, r, route, matcher) | compared | said_after
    dated, when = _dates_after(b, r.phrase.toks[0].i, route.via)
    tokens = tuple(sorted(gone | dated | {t.i for t in r.phrase.toks}))
    b.plan.conditions.append(Related(route.via, route.fk, key, op, count,
                                     route.named if route.counted else None, route.counted,
                                     filters + when, tokens=tokens,
                                     target_filters=target_filters))
    b.readings = [x for x in b.readings if x is not r and not all(
        t.i in gone for t in x.phrase.toks)]


def _compared_after(b: _Builder, end: int, via: Table, matcher: Matcher
                    ) -> tuple[tuple[Filter, ...], set[int]]:
    """``an order over 100 dollars``, ``orders with an amount above 50``: a comparison right
    after the related rows, on a column of theirs the question names or hints (a bare
    "orders over 100" names none: left to the audit, which declines)."""
    toks = b.parsed.toks
    out: list[Filter] = []
    used: set[int] = set()
    for c in b.parsed.comparisons:
        if c.after in b.consumed or not end < c.after <= end + 5 or c.number is None:
            continue
        said = [x for x in b.readings if end < x.phrase.toks[0].i and x.phrase.toks[-1].i < c.after]
        cols = []
        for x in said:
            again = matcher.read(P.Phrase(x.phrase.toks, role=P.MEASURE))
            piece = again.pieces[0] if len(again.pieces) == 1 else None
            if (piece is None or again.unresolved or piece.column is None or piece.kind !=
                    "column" or piece.column.table != via.id or not piece.column.numeric):
                return (), set()
            cols.append(piece.column)
        col = cols[0] if len(cols) == 1 else (
            b._kind_column(c.hint, [via]) if c.hint and not cols else None)
        between = [t for t in toks[end + 1:c.after] if not any(t in x.phrase.toks for x in said)]
        if col is None or any(t.low not in RELATION_PARTICLES for t in between):
            return (), set()
        number = next(t.i for t in toks[c.after:] if t.number is not None)
        unit = [number + 1] if number + 1 < len(toks) and toks[number + 1].low in UNIT_HINTS else []
        out.append(Filter(col, c.op, (c.number,)))
        used |= set(range(end + 1, number + 1)) | set(unit)
        b.consumed.add(c.after)
    return tuple(out), used


DATE_WORDS = frozenset({"last", "past", "previous", "this", "current", "today", "yesterday"})


def _dates_after(b: _Builder, start: int, via: Table) -> tuple[set[int], tuple[Filter, ...]]:
    """``users with no orders in 2024``: dates said after the related rows are theirs (the
    orders' year, not the users'); dates on both sides cannot be told apart."""
    toks = b.parsed.toks
    words = [t for t in toks if is_year(t) or t.low in MONTHS or t.low in DATE_WORDS]
    after = [t for t in words if t.i > start]
    if not after:
        return set(), ()
    col = time_column(via)
    if len(after) != len(words) and col is not None and not b.dates_used:
        split = _two_years(b, [t for t in words if t.i < start], after, col)
        if split is not None:
            return split
    if len(after) != len(words) or col is None or b.dates_used:
        raise Unclear(f"I could not tell whether the dates are about {b.s.name} or their "
                      f"{via.name}")
    b.dates_used = True
    out = [Filter(col, op, (year,), part="YEAR") for op, year in b.parsed.years]
    if b.parsed.months:
        out.append(Filter(col, "=", tuple(b.parsed.months), part="MONTH"))
    out += [Filter(col, op, (when,), part=part) for part, op, when in b.parsed.relative]
    spans = {t.i + k for t in after if (rel := relative(toks, t.i)) for k in range(rel[0])}
    return {t.i for t in after} | spans, tuple(out)


def _two_years(b: _Builder, before: list[Tok], after: list[Tok], col: Column
               ) -> tuple[set[int], tuple[Filter, ...]] | None:
    """``users who signed up in 2023 have no orders in 2024``: one year "in" each side,
    the first inside the subject's own modifier naming its date column (setsubject.py):
    that year is the subject's, the other the related rows'."""
    toks = b.parsed.toks
    if len(before) != 1 or len(after) != 1 or not all(
            is_year(t) and t.i and toks[t.i - 1].low == "in" for t in before + after):
        return None
    own = subject_date(b, before[0].i, _owner(b))
    if own is None:
        return None
    b.dates_used = True
    b.plan_filters.append(Filter(b.use(own), "=", (before[0].number,), part="YEAR"))
    b.plan.accounted |= {before[0].i, before[0].i - 1}
    return {after[0].i}, (Filter(col, "=", (after[0].number,), part="YEAR"),)


def _said_of(b: _Builder, r: Reading, route: Route, matcher: Matcher) -> set[int]:
    """``treatment on dogs``: a table the related rows always point at, named right after
    them, says nothing more; its words (and the particle) are accounted for."""
    after = next((x for x in b.readings if x.phrase.toks[0].i > r.phrase.toks[-1].i), None)
    if after is None:
        return set()
    between = b.parsed.toks[r.phrase.toks[-1].i + 1:after.phrase.toks[0].i]
    if len(between) != 1 or between[0].low not in ("on", "of", "to", "for", "with"):
        return set()
    again = matcher.read(P.Phrase(after.phrase.toks, role=P.COUNT))
    pointed = {j.target.id for j in joins_from(b.catalog, route.via)} - {b.s.id}
    if (len(again.pieces) != 1 or again.unresolved or again.pieces[0].kind != "table"
            or again.pieces[0].table is None or again.pieces[0].table.id not in pointed):
        return set()
    return {t.i for t in between} | {t.i for t in after.phrase.toks}


def _window(b: _Builder, start: int, named: Table
            ) -> tuple[list[int], bool, P.Comparison | None, bool] | None:
    """The words between the subject's phrase and the related table's: a negation, a
    count or "any", relating verbs and small words, nothing else; (their indexes, denied,
    count, some)."""
    toks = b.parsed.toks
    owner = _owner(b)
    spans = {}
    for c in b.parsed.comparisons:
        end = next((t.i for t in toks[c.after:] if t.number is not None), None)
        if end == c.after and c.after + 2 < len(toks) and toks[c.after + 1].low == "or":
            end = c.after + 2  # "two or more"
        if end is not None and c.hint is None:
            spans.update({i: c for i in range(c.after, end + 1)})
    lex = lexicon()
    used: list[int] = []
    denied, cmp, some = False, None, False
    i = start - 1
    while i >= 0 and i not in owner:
        t = toks[i]
        if t.low in DENY:
            denied = True
        elif i in spans and spans[i].after + 6 >= start and not denied:
            cmp = spans[i]  # (before a negation: the subject's, "priced over 150 never ...")
        elif t.low in SOME:
            some = True
        elif not (t.low in RELATION_PARTICLES or t.low in RELATING_VERBS
                  or t.low in lex.function_words or _names(t, named)
                  or keyroles.says_key(t, named, b.s, b.catalog)):
            break  # perhaps the subject's own modifier: "users who signed up in 2025"
        used.append(i)
        i -= 1
    if i >= 0 and not (i in owner and any(p.kind == "table" and p.table is b.s
                                          for p in owner[i].pieces)):
        before = subject_before(b, i, owner) if used else None  # setsubject.py
        if before is None:
            return None
        i = before
    anchor = owner.get(i)
    if anchor is None or not any(p.kind == "table" and p.table is b.s for p in anchor.pieces):
        return None  # the condition is about what the word before it names: the subject
    return used, denied, cmp, some


def _both_years(b: _Builder, joins: list[Join], key: Column) -> None:
    """``customers who ordered in both 2023 and 2024``: some related row in each year."""
    years = [y for op, y in b.parsed.years if op == "="]
    toks = b.parsed.toks
    dated = [j.source for j in joins if time_column(j.source) is not None]
    table = named_by_verb(toks, dated)
    said = [(t, j) for j in joins if j.source is table for t in toks if names_table(t, table)]
    if table is None or len(years) < 2:
        raise Unclear("I could not tell which rows must fall in both years: nothing related "
                      "to them is named with a date")
    found = [Route(j.source, j.fk, j.source) for _, j in said]
    route = one_route(list({r.fk.name: r for r in found}.values()), found[0].via, b.s)
    col = time_column(route.via)
    assert col is not None
    tokens = tuple(sorted({t.i for t, _ in said} | {t.i for t in toks if t.number in years}))
    for year in years:
        b.plan.conditions.append(Related(route.via, route.fk, key, ">=", 1, filters=(
            Filter(col, "=", (year,), part="YEAR"),), tokens=tokens))
    b.dates_used = True
