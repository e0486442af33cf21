"""Routes of set conditions: how rows of a named table relate to the subject (directly
or through a bridge table), and which table a word names as a noun or as the verb of its
rows ("ordered": orders). Split from ``sets`` so each stays one purpose."""

from __future__ import annotations

from dataclasses import dataclass

from nl2sql.models.planner.catalog import Catalog, Column, Join, Table, key_column
from nl2sql.models.planner.joins import direct, key_of
from nl2sql.models.planner.words import Tok


class Unclear(Exception):
    """A set condition the question clearly asks for but names ambiguously."""


@dataclass(frozen=True)
class Route:
    """How rows of ``named`` relate to the subject: ``via`` (``named`` itself, or a
    bridge) points at the subject with ``fk``; ``counted`` is the bridge's key to
    ``named`` (None when ``via`` is ``named``)."""

    via: Table
    fk: Column
    named: Table
    counted: Column | None = None


def into(catalog: Catalog, subject: Table) -> list[Join]:
    """Joins from other described tables to ``subject`` (many of theirs to one of its)."""
    fetched = catalog.fetched()
    # kept on the catalog while it describes the same tables: key matching is costly
    memo: dict[tuple[str, int], list[Join]] = catalog.__dict__.setdefault("_into", {})
    key = (subject.id, len(fetched))
    if key not in memo:
        memo[key] = [j for t in fetched if t is not subject
                     for j in joins_from(catalog, t) if j.target is subject]
    return memo[key]


def joins_from(catalog: Catalog, table: Table) -> list[Join]:
    memo: dict[tuple[str, int], list[Join]] = catalog.__dict__.setdefault("_joins", {})
    key = (table.id, len(catalog.fetched()))
    if key not in memo:
        # the key graph's joins too (described and role keys: RegionCode -> Regions), to
        # the key a condition compares with (``relations``), for keys not joined already
        found = catalog.joins_from(table)
        memo[key] = found + [j for j in direct(catalog, table)
                             if not any(f.fk is j.fk for f in found)
                             and j.key is (key_column(j.target) or key_of(catalog, j.target))]
    return memo[key]


def routes(catalog: Catalog, subject: Table, named: Table) -> list[Route]:
    joins = into(catalog, subject)
    direct = [Route(j.source, j.fk, named) for j in joins if j.source is named]
    if direct:
        return direct
    return [Route(j.source, j.fk, named, j2.fk) for j in joins
            for j2 in joins_from(catalog, j.source) if j2.target is named and j2.fk is not j.fk]


def one_route(found: list[Route], named: Table, subject: Table) -> Route:
    if len(found) > 1:
        ways = ", ".join(sorted({f"{r.via.name}.{r.fk.name}" for r in found}))
        raise Unclear(f"{named.name} relates to {subject.name} in more than one way ({ways}); "
                      "I cannot tell which the question means")
    return found[0]


def verb_roots(word: str) -> set[str]:
    """``ordered`` -> order, ``booked`` -> book, ``enrolled`` -> enroll, enrol."""
    out = set()
    for end in ("ed", "d", "ing", "s"):
        if word.endswith(end) and len(word) - len(end) >= 4:
            root = word[: -len(end)]
            out |= {root, root + "e"} | ({root[:-1]} if root[-1:] == root[-2:-1] else set())
    return out


def names_table(t: Tok, table: Table) -> int:
    """How well a word names ``table``, as a noun or as the verb of its rows ("ordered":
    orders, "treated": treatments): 2 by its last word, 1 by another, 0 not at all."""
    def says(word: str) -> bool:
        return t.stem == word or any(word == r or (len(r) >= 4 and word.startswith(r))
                                     for r in verb_roots(t.low))
    if not table.words:
        return 0
    return 2 if says(table.words[-1]) else int(any(says(w) for w in table.words[:-1]))


def named_by_verb(toks: list[Tok], tables: list[Table]) -> Table | None:
    """The one table the words name best (``ordered``: orders over order_items), if any."""
    scored = [(max((names_table(t, x) for t in toks), default=0), x) for x in tables]
    best = max((n for n, _ in scored), default=0)
    top = {x.id: x for n, x in scored if n == best and n > 0}
    return next(iter(top.values())) if len(top) == 1 else None


def names_event(t: Tok, table: Table) -> bool:
    """``borrowed``: loans.borrowed_on, ``shipped``: shipments.shipped_at — a verb naming
    the event a table's own date column records (its first word), so the rows it dates."""
    said = verb_roots(t.low) | {t.low}
    if len(said) < 2:
        return False  # not a verb form: "date" says no event
    return any(c.temporal and c.words and (verb_roots(c.words[0]) | {c.words[0]}) & said
               for c in table.columns or [])


def named_by_event(toks: list[Tok], tables: list[Table]) -> Table | None:
    """The one table whose event the words name as a verb ("never borrowed": loans)."""
    found = {x.id: x for x in tables for t in toks if names_event(t, x)}
    return next(iter(found.values())) if len(found) == 1 else None
