"""Which tables to describe next: those the question names, those the subject's keys
(or role-named columns, ``OriginAirport``) reach while words remain unplaced, those
whose descriptions use its words, and only then the rest of the dataset."""

from __future__ import annotations

import re

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Catalog, Table
from nl2sql.models.planner.joins import reach, target_of
from nl2sql.models.planner.keys import key_parts
from nl2sql.models.planner.words import (
    BOUNDARIES,
    FILLERS,
    Tok,
    split_name,
    text_words,
    wordset,
)

MAX_TABLES = 12
ASKING = P.QUESTION_CUES | FILLERS | {"is", "are", "was", "were", "me"}


def unique(tables: list[Table]) -> list[Table]:
    seen: set[str] = set()
    out = []
    for t in tables:
        if t is not None and t.id not in seen:
            seen.add(t.id)
            out.append(t)
    return out


def missing(catalog: Catalog, subject: Table, mentioned: list[Table],
             unexplained: list[Tok], undated: bool = False) -> list[Table]:
    """Tables to describe next: the named ones; then, while words remain unplaced, the
    tables the subject's keys reach; then those of the rest of its dataset whose
    description speaks of the unplaced words; then, unless the unplaced words look like
    values (a lookup searches those first), the rest of the dataset."""
    def pending(t: Table | None) -> bool:
        return (t is not None and t.columns is None
                and t.id.lower() not in catalog.failed_tables)

    named = [t for t in mentioned if pending(t)]
    if named:
        return named
    near = {t.id for t in reach(catalog, subject)}
    apart = [t for t in mentioned if t.columns is not None and t.id not in near]
    if apart:  # a named table no key path reaches yet: the tables that may bridge
        rest = [t for t in catalog.tables.values()
                if pending(t) and t.dataset == subject.dataset]
        keyed = unique([k for t in [subject, *apart] for c in t.columns or []
                         if (k := target_of(catalog, t, c)) is not None])
        return [t for t in keyed if t in rest] or rest[:MAX_TABLES]
    if not (unexplained or undated):
        return named
    targets = [catalog.fk_target(subject, c) for c in subject.columns or []]
    # src_port_cd, OriginAirport: the key of a table the name ends with, or a role of it
    says = [(kp[0] if (kp := key_parts(c)) else c.words, kp is not None)
            for c in subject.columns or []]
    targets += [t for t in catalog.tables.values() if t.dataset == subject.dataset and t.words
                and any(len(w) >= len(t.words) and w[-len(t.words):] == t.words
                        and (w != t.words or keyed) for w, keyed in says)]
    reached = unique([t for t in targets if t is not None and pending(t)])
    if reached:
        return reached
    rest = [t for t in catalog.tables.values() if pending(t) and t.dataset == subject.dataset]
    plain = [t for t in unexplained if not (t.cap or t.quoted)]
    spoken = _spoken_of(rest, plain)
    if spoken:
        return spoken
    if unexplained and not plain and not undated:
        return []  # Texas, 'Swim': values the lookup looks for in what is described
    return rest[:MAX_TABLES]


# Words a description may use for any table: they point at none in particular.
GENERIC = wordset(
    "one row rows per each number count total many much average mean sum maximum minimum "
    "max min top most least highest lowest share percentage percent distinct different "
    "unique record records entry entries table data value values"
)


def _description_words(table: Table) -> frozenset[str]:
    """Content words of a description, identifiers split (``sale_price``: sale, price)."""
    spaced = " ".join(" ".join(split_name(w)) for w in re.findall(r"\w+", table.description))
    return frozenset(w for w in text_words(spaced) if w not in GENERIC)


def _spoken_of(tables: list[Table], toks: list[Tok]) -> list[Table]:
    """The tables whose descriptions use most of the question's content words (none if
    no description uses any)."""
    stems = {t.stem for t in toks
             if t.number is None and len(t.low) > 2 and t.low not in ASKING
             and t.low not in BOUNDARIES and t.low not in GENERIC and t.stem not in GENERIC}
    if not stems:
        return []
    scored = [(len(stems & _description_words(t)), t) for t in tables]
    best = max((n for n, _ in scored), default=0)
    return [t for n, t in scored if n == best] if best > 0 else []


def first_tables(mentioned: list[Table], catalog: Catalog, toks: list[Tok]) -> list[Table]:
    """Tables to describe when none is described yet: the named ones, else those whose
    description speaks of the question's words, else all (capped); when the described
    ones were such a guess and nothing fits, the rest."""
    tables = [t for t in catalog.tables.values() if t.id.lower() not in catalog.failed_tables]
    pending = [t for t in tables if t.columns is None]
    named = [t for t in mentioned if t in pending]
    if named:
        return named
    described = [t for t in tables if t.columns is not None]
    guess = _spoken_of(tables, toks)
    if described:
        if mentioned or not guess or any(t not in guess for t in described):
            return []  # described some already and still nothing fits
        return pending[:MAX_TABLES]
    return (guess or pending)[:MAX_TABLES]
