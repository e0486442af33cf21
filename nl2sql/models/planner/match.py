"""Phrase <-> metadata: which table, column, value or time unit each word means.

A phrase is covered by *pieces* chosen to explain as many words as possible
with as few pieces as possible; among equals, the phrase's role decides
(a grouping phrase prefers columns, a filter phrase prefers values). Among
columns of the same words, the subject table wins, then the column whose
words are all said, then the one whose table the question names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import LABEL_WORDS, Catalog, Column, Table, key_column
from nl2sql.models.planner.keys import graph
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.naming import (
    event_column,
    event_dated,
    money_column,
    named_column,
    own_column,
    qualified_amount,
    reordered_column,
    unsaid_extreme,
)
from nl2sql.models.planner.owners import names_of, owner_after
from nl2sql.models.planner.terms import alias_values, synonym_column
from nl2sql.models.planner.units import unit_column
from nl2sql.models.planner.words import (
    FILLERS,
    NEUTRAL,
    PERSON_WORDS,
    TIME_UNITS,
    VERBS,
    Tok,
    is_plural,
    stem,
    table_words,
    tokenize,
)

MAX_SPAN = 5
# Common words for one-letter codes (gender M/F, flags Y/N).
LETTER_CODES: dict[str, str] = lexicon().maps["letter_codes"]

# Preference of piece kinds by phrase role (higher wins on equal coverage).
WEIGHTS = {
    P.CONTEXT: {"value": 3, "column": 2, "table": 2, "time": 1},
    P.GROUP: {"column": 3, "time": 3, "table": 2, "value": 1},
    P.COUNT: {"table": 3, "column": 2, "value": 2, "time": 1},
    P.MEASURE: {"column": 3, "table": 2, "value": 1, "time": 1},
}
WEIGHTS[P.RANK_GROUP] = WEIGHTS[P.WHICH] = WEIGHTS[P.GROUP]
WEIGHTS[P.PCT_BASE] = WEIGHTS[P.OF] = WEIGHTS[P.ROW_RANK] = WEIGHTS[P.COUNT]
WEIGHTS[P.RANK_MEASURE] = WEIGHTS[P.MEASURE]
DESCRIPTION_ROLES = (P.COUNT, P.PCT_BASE, P.OF, P.CONTEXT, P.RANK_MEASURE, P.GROUP, P.RANK_GROUP)


@dataclass
class Piece:
    kind: str  # value | column | table | time
    start: int
    end: int
    table: Table | None = None
    column: Column | None = None
    value: str | None = None
    unit: str | None = None
    by_description: bool = False
    says_id: bool = False  # the words include "id": the key itself, not the entity


@dataclass
class Reading:
    phrase: P.Phrase
    pieces: list[Piece] = field(default_factory=list)
    unresolved: list[Tok] = field(default_factory=list)

    def of(self, kind: str) -> list[Piece]:
        return [p for p in self.pieces if p.kind == kind]

    def first(self, kind: str) -> Piece | None:
        return next((p for p in self.pieces if p.kind == kind), None)

    def unexplained(self, subject: Table | None) -> list[Tok]:
        """Unresolved words that matter: not verbs, fillers, or the subject's own name."""
        skip = set(subject.words) if subject else set()
        return [t for t in self.unresolved
                if t.low not in VERBS and t.low not in FILLERS and t.low not in NEUTRAL
                and t.stem not in skip and not (t.low.endswith(("ed", "ing")) and not t.cap)
                and t.number is None and not self._verb_after_noun(t)]

    def _verb_after_noun(self, t: Tok) -> bool:
        """``carrier handles`` (the most ...): an -s word ending the phrase right after a
        singular name it placed is a verb, not something to look for."""
        toks = self.phrase.toks
        k = next((k for k, x in enumerate(toks) if x is t), -1)
        if k != len(toks) - 1 or k == 0 or t.cap or not t.low.endswith("s"):
            return False
        before = next((p for p in self.pieces if p.end == k and p.kind in ("table", "column")),
                      None)
        return before is not None and not is_plural(toks[k - 1].raw)


@lru_cache(maxsize=65536)
def norm_value(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


class Matcher:
    """Reads phrases of one question against a catalog, within a scope of tables."""

    def __init__(self, question: str, catalog: Catalog, scope: list[Table],
                 subject: Table | None = None) -> None:
        self.question = question
        self.catalog = catalog
        self.scope = scope
        self.subject = subject
        self.near: Table | None = None
        self.counted = False  # reading a phrase that is only what is counted ("men")
        self.owner: Table | None = None  # "the name *of the breed*": whose column it is
        self._toks = tokenize(question)
        # the words of the question: "the ids" are the subject's only where it is named
        self._said = {t.stem for t in tokenize(question)}

    def read(self, phrase: P.Phrase, near: Table | None = None) -> Reading:
        """Cover ``phrase`` with pieces; values prefer the ``near`` table's columns
        ("customers from Canada")."""
        self.near = near
        self.counted = phrase.role in (P.COUNT, P.PCT_BASE) and len(phrase.toks) == 1
        self.owner = owner_after(phrase, self._toks, self.catalog, self.scope)
        toks = phrase.toks
        n = len(toks)
        weights = WEIGHTS.get(phrase.role, WEIGHTS[P.CONTEXT])
        spans: dict[tuple[int, int], list[Piece]] = {}
        for a in range(n):
            for b in range(a + 1, min(n, a + MAX_SPAN) + 1):
                found = self._pieces(toks, a, b)
                if found:
                    spans[(a, b)] = found
        named = any(p.kind == "table" and not p.by_description
                    for found in spans.values() for p in found)
        if named or phrase.role not in DESCRIPTION_ROLES:
            # a description's words are weak evidence: only for an unnamed thing counted
            spans = {k: kept for k, v in spans.items()
                     if (kept := [p for p in v if not p.by_description])}
        # best[i]: (covered, -pieces, weight) and pieces for toks[i:]
        best: list[tuple[tuple[int, int, int], list[Piece]]] = [((0, 0, 0), [])] * (n + 1)
        for a in range(n - 1, -1, -1):
            score, chosen = best[a + 1]
            for b in range(min(n, a + MAX_SPAN), a, -1):
                for piece in spans.get((a, b), []):
                    rest, rest_pieces = best[b]
                    weight = 0 if piece.by_description else weights[piece.kind]
                    s = (rest[0] + (b - a), rest[1] - 1, rest[2] + weight)
                    if s > score:
                        score, chosen = s, [piece, *rest_pieces]
            best[a] = (score, chosen)
        pieces = best[0][1]
        covered = {i for p in pieces for i in range(p.start, p.end)}
        return Reading(phrase, pieces, [t for i, t in enumerate(toks) if i not in covered])

    # -- candidates --------------------------------------------------------------

    def _pieces(self, toks: list[Tok], a: int, b: int) -> list[Piece]:
        out: list[Piece] = []
        value = self._value(toks, a, b)
        if value is not None and b == a + 1 and value.table is not None and event_dated(
                toks[a].low, [t.low for t in self._toks[toks[a].i + 1:toks[a].i + 2]],
                value.table):
            value = None  # "shipped in 2024": shipped_at's year, not the status 'Shipped'
        if value is not None:
            out.append(value)
        stems = tuple(t.stem for t in toks[a:b] if t.low not in FILLERS and t.low != "of")
        if toks[a].quoted:
            return out
        table = self._table(stems, a, b)
        if table is None and b == a + 1 and "_" in toks[a].raw:  # "t_1": a name as written
            table = self._table(table_words(toks[a].raw), a, b)
        if table is not None:
            out.append(table)
        column = self._column(stems, toks, a, b)
        if column is not None and not (
                column.column is not None and table is not None and not table.by_description
                and ((column.column.is_key and not column.says_id)
                     or self._holds_key_of(column, table.table))):
            out.append(column)  # a table's name beats the key columns spelled like it
        if b == a + 1 and stems and stems[0] in TIME_UNITS:
            out.append(Piece("time", a, b, unit=TIME_UNITS[stems[0]]))
        return out

    def _after_number(self, tok: Tok) -> bool:
        k = next((k for k, x in enumerate(self._toks) if x.start == tok.start), 0)
        return k > 0 and self._toks[k - 1].number is not None

    def _holds_key_of(self, column: Piece, table: Table | None) -> bool:
        """``TV_series.Channel`` holding ``TV_Channel.id``: "the TV channel" names that
        table itself, not the copy of its key another table keeps."""
        return table is not None and any(
            e.source is column.table and e.fk is column.column and e.target is table
            for e in graph(self.catalog))

    def _value(self, toks: list[Tok], a: int, b: int) -> Piece | None:
        raw = (toks[a].raw if toks[a].quoted and b == a + 1
               else self.question[toks[a].start:toks[b - 1].end]).lower()
        if self.counted and b == a + 1:  # "how many women": persons, not a 'Women' department
            code = self._letter_code(toks[a], a)
            if code is not None:
                return code
        norm = norm_value(raw)
        stemmed = _stems(norm)
        best: tuple[tuple[int, ...], Piece] | None = None
        for rank_t, table in enumerate(self.scope):
            for col in table.columns or []:
                if not col.text:
                    continue
                candidates = list(col.examples) + [
                    f.value for f in self.catalog.found
                    if f.table.lower() == table.id.lower() and f.column == col.name]
                for v in candidates:
                    if v.lower() == raw or (norm and norm_value(v) in (norm, stemmed)) or (
                            stemmed and _stems(norm_value(v)) == stemmed):
                        said = {t.stem for t in toks}
                        named = any(w in said for w in col.words)
                        # 'Women department': products.department, all of whose words are
                        # said, before a copy of it named inventory_items.product_department
                        whole = named and set(col.words) <= said
                        key = (int(table is self.near), int(named), int(whole),
                               int(table is self.subject), -rank_t)
                        if best is None or key > best[0]:
                            best = (key, Piece("value", a, b, table, col, v))
                        break
        if best is None and norm:  # a word the definitions give a value ('US'): terms.py
            best = self._alias(norm, a, b)
        if best is None and b == a + 1:
            return self._letter_code(toks[a], a) or self._shared_start(toks[a], a)
        return best[1] if best else None

    def _alias(self, norm: str, a: int, b: int) -> tuple[tuple[int, ...], Piece] | None:
        """The value a dataset's definitions give these words, in one column of the scope."""
        found = [(table, col, v) for table in self.scope for col in table.columns or []
                 for v in alias_values(self.catalog, table, col, norm)]
        if len({(t.id, c.name, v) for t, c, v in found}) != 1:
            return None
        table, col, v = found[0]
        return (0,), Piece("value", a, b, table, col, v)

    def _shared_start(self, tok: Tok, a: int) -> Piece | None:
        """``Norwegian`` -> 'Norway', ``German`` -> 'Germany': a proper word and a value a
        lookup found that share most of their start."""
        if not tok.cap or len(tok.low) < 5:
            return None
        best: tuple[tuple[int, ...], Piece] | None = None
        for rank_t, table in enumerate(self.scope):
            for f in self.catalog.found:
                v = f.value.lower()
                shared = len(os.path.commonprefix([v, tok.low]))
                if (f.table.lower() != table.id.lower() or shared < 4
                        or shared < 0.6 * min(len(v), len(tok.low))):
                    continue
                col = table.column(f.column)
                if col is not None:
                    key = (int(table is self.near), int(table is self.subject), shared, f.rows,
                           -rank_t)
                    if best is None or key > best[0]:
                        best = (key, Piece("value", a, a + 1, table, col, f.value))
        return best[1] if best else None

    def _letter_code(self, tok: Tok, a: int) -> Piece | None:
        """``female`` -> 'F' in a column holding only one-letter codes."""
        letter = LETTER_CODES.get(tok.low)
        if letter is None:
            return None
        person = self._person_table()  # "men": the persons' gender before an order's copy
        for table in sorted(self.scope, key=lambda t: t is not person):
            for col in table.columns or []:
                codes = {v.upper() for v in col.examples}
                if col.text and codes and all(len(v) == 1 for v in codes) and letter in codes:
                    value = next(v for v in col.examples if v.upper() == letter)
                    return Piece("value", a, a + 1, table, col, value)
        return None

    def _table(self, stems: tuple[str, ...], a: int, b: int) -> Piece | None:
        if not stems:
            return None
        named = [t for t in self.catalog.tables.values() if t.words == stems]
        if named:
            named.sort(key=lambda t: (t is not self.subject, t not in self.scope, t.id))
            return Piece("table", a, b, named[0])
        if len(stems) == 1 and stems[0] not in NEUTRAL:
            described = [t for t in self.catalog.tables.values() if stems[0] in t.desc_words]
            if len(described) == 1:
                return Piece("table", a, b, described[0], by_description=True)
            person = self._person_table() if stems[0] in PERSON_WORDS else None
            if person is not None:
                return Piece("table", a, b, person, by_description=True)
        return None

    def _person_table(self) -> Table | None:
        """``people``, ``clients``: the one table of persons, by its name or else by its
        description (``users``: "Registered customers")."""
        tables = list(self.catalog.tables.values())
        for says in (lambda t: t.words[-1:][0] in PERSON_WORDS if t.words else False,
                     lambda t: bool(t.desc_words & PERSON_WORDS)):
            found = [t for t in tables if says(t)]
            if len(found) == 1:
                return found[0]
            if found:
                return None
        return None

    def _called(self, table: Table) -> set[tuple[str, ...]]:
        """What the dataset's definitions call the table's rows ("customers" for users),
        as stemmed words."""
        names = self.catalog.synonyms.get(table.id.lower(), [])
        return {tuple(stem(w) for w in re.findall(r"[A-Za-z]+", name)) for name in names}


    def _qualifies(self, qual: tuple[str, ...], table: Table) -> bool:
        """``invoice`` names Invoices; "customer" names users where the definitions say so."""
        return _qualifies(qual, table) or qual == table.words or qual in self._called(table)

    def _column(self, stems: tuple[str, ...], toks: list[Tok], a: int, b: int) -> Piece | None:
        says_id = stems[-1:] == ("id",)
        words = stems[:-1] if says_id and len(stems) > 1 else stems
        best: tuple[tuple[object, ...], Piece] | None = None
        rival: tuple[tuple[object, ...], Piece] | None = None
        for rank_t, table in enumerate(self.scope):
            for col in table.columns or []:
                for q in range(len(words)):
                    qual, rest = words[:q], words[q:]
                    if len(rest) > len(col.words) or col.words[-len(rest):] != rest:
                        continue
                    if qual and not (_qualifies(qual, table) or qual in self._called(table)):
                        continue  # "customer country": users.country when users are customers
                    if (says_id and not col.is_key) or unsaid_extreme(col.words, rest):
                        continue  # "order amount" is not min_order_amt
                    unmatched = len(col.words) - len(rest)
                    key = (int(table is self.owner), int(table is self.subject), -unmatched,
                           int(qual == table.words), -len(col.words), -rank_t, col.name)
                    if best is None or key > best[0]:
                        rival = best if best is not None and best[0][:-1] == key[:-1] else None
                        best = (key, Piece("column", a, b, table, col, says_id=says_id))
                    elif key[:-1] == best[0][:-1]:
                        rival = (key, best[1])
                    break
        if best is not None and rival is not None and rival[0][:-1] == best[0][:-1]:
            if best[0][2] == 0:
                return None  # price_usd and price_eur: both are "price", neither is meant
            # "name" where first_name and last_name say it equally: not a guess, unless the
            # words ask for the whole name of a table's rows ("the names of the owners")
            whole = names_of(stems, self.owner, self.subject, self._said)
            return Piece("table", a, b, whole) if whole is not None else None
        if best is None and not says_id:
            found = (named_column(words, self.scope, self.subject, self.catalog)
                     or (reordered_column(words, self.scope, self.subject)
                         if len(words) > 1 else None)
                     or own_column(words, self.scope, self.subject)
                     or (None if self.counted or is_plural(toks[b - 1].raw)  # "hires": rows
                         else event_column(words, self.scope, self.subject))
                     or money_column(words, self.scope, self.subject, self._qualifies)
                     or qualified_amount(words, self.scope, self.subject)
                     or (None if self._after_number(toks[a])  # "20 kg": the comparison's
                         else unit_column(words, self.scope, self.subject)))
            if found is not None:
                best = (found[0], Piece("column", a, b, found[1], found[2]))
        if best is None and not says_id:  # what the definitions call a column: terms.py
            named = synonym_column(self.catalog, self.scope, words)
            if named is not None:
                best = (0,), Piece("column", a, b, named[0], named[1])
        if best is None:
            whole = names_of(stems, self.owner, self.subject, self._said)
            if whole is not None:
                return Piece("table", a, b, whole)
        said = self.subject is not None and set(self.subject.words) <= self._said
        if best is None and stems == ("name",) and self.subject is not None and said:
            titles = [c for c in self.subject.columns or [] if c.text and not c.is_key
                      and c.words and c.words[-1] in LABEL_WORDS]
            if len(titles) == 1 and self.subject in self.scope:  # "names of cartoons": Title
                return Piece("column", a, b, self.subject, titles[0])
        if best is None and stems == ("id",) and self.subject is not None and said:
            own = key_column(self.subject)  # "the ids of members": member_id, MemberID
            if own is not None and self.subject in self.scope:
                return Piece("column", a, b, self.subject, own, says_id=True)
        return best[1] if best else None


@lru_cache(maxsize=65536)  # the same example values are compared for every span
def _stems(text: str) -> str:
    return " ".join(stem(w) for w in text.split())


def _qualifies(qual: tuple[str, ...], table: Table) -> bool:
    """``order`` qualifies ``order_items``; ``product`` qualifies ``products``."""
    n = len(qual)
    return any(table.words[i:i + n] == qual for i in range(len(table.words) - n + 1))
