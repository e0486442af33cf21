"""Business knowledge a dataset documents: defined metrics and the terms its notes define.

``list_tables`` may carry ``metrics`` (the knowledge contract: ``name``, ``synonyms``,
``description``, ``table``, ``expression`` — a GoogleSQL aggregate over that table's
columns — ``filters`` that always apply, optional ``time_column``). A metric named in
the question replaces the planner's own reading of those words: its expression is the
measure and its filters are applied, both named in the interpretation.

Datasets documented only in prose (``notes``) may still define a term ("Revenue is
`order_items.sale_price`; leave out ..."): the planner cannot apply such a rule, so a
question using the term is declined rather than answered without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlglot import exp, parse_one

from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.words import Tok, stem, tokenize

# "Revenue is `order_items.sale_price`", "- Active users are `...`": a short term defined
# by a reference to the data.
_DEFINITION = re.compile(r"(?:^|[\n.;]\s*)[-*\s]*([A-Za-z][A-Za-z ]{0,30}?)\s+(?:is|are|means)\s+`")
AGG_BEFORE = lexicon().sets["agg_before"]
FUNCTION_WORDS = lexicon().function_words  # the parser drops them: a synonym's are not said


@dataclass(frozen=True)
class Metric:
    name: str
    table: str
    expression: str
    filters: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    description: str = ""
    time_column: str | None = None
    # "base.fk = other.key": tables whose columns the expression names (``products.cost``)
    joins: tuple[str, ...] = ()

    @property
    def joined(self) -> list[tuple[str, str, str]]:
        """(fk column of the base table, table id it reaches, key column) of each join."""
        dataset = self.table.rpartition(".")[0]
        out = []
        for j in self.joins:
            left, _, right = j.partition(" = ")
            other, _, key = right.partition(".")
            out.append((left.partition(".")[2], f"{dataset}.{other}" if dataset else other, key))
        return out

    def aliases(self, aliases: dict[str, str]) -> dict[str, str]:
        """Qualifier in the expression (``products``) -> the alias its table has in a query."""
        return {tid.rpartition(".")[2]: aliases[tid] for _, tid, _ in self.joined
                if aliases.get(tid)}

    @property
    def phrases(self) -> list[tuple[str, ...]]:
        """Stemmed word sequences that name the metric, longest first."""
        out = {tuple(stem(w) for w in re.findall(r"\w+", p.replace("_", " ")))
               for p in (self.name, *self.synonyms)}
        return sorted((p for p in out if p), key=len, reverse=True)


def metrics_from(out: dict[str, Any]) -> list[Metric]:
    """The well-formed metrics of one ``list_tables`` result (others are skipped)."""
    found: list[Metric] = []
    for m in out.get("metrics") or []:
        if not isinstance(m, dict) or not m.get("name") or not m.get("table") or not m.get(
                "expression"):
            continue
        filters = tuple(str(f) for f in m.get("filters") or [])
        if not all(_readable(sql) for sql in (str(m["expression"]), *filters)):
            continue  # a definition we cannot read is not applied
        found.append(Metric(str(m["name"]), str(m["table"]), str(m["expression"]), filters,
                            tuple(str(s) for s in m.get("synonyms") or []),
                            str(m.get("description") or ""),
                            str(m["time_column"]) if m.get("time_column") else None,
                            tuple(str(j) for j in m.get("joins") or []
                                  if re.fullmatch(r"\w+\.\w+ = \w+\.\w+", str(j)))))
    return found


@lru_cache(maxsize=1024)
def _readable(sql: str) -> bool:
    """Whether sqlglot reads a definition's expression or filter. Cached: every planner turn
    re-reads the same definitions from the conversation, and parsing them was a third of
    the planner's time per question."""
    try:
        parse_one(sql, read="bigquery")
    except Exception:  # noqa: BLE001 - any parse failure means unreadable
        return False
    return True


def opaque_terms(out: dict[str, Any]) -> list[str]:
    """Names and synonyms of metrics defined only as whole SQL queries (the planner cannot
    combine those with a question's own filters), so a question using them is declined."""
    return [str(w) for m in out.get("metrics") or [] if isinstance(m, dict) and m.get("sql")
            for w in [m.get("name"), *(m.get("synonyms") or [])] if w]


@dataclass(frozen=True)
class Dimension:
    """A column the dataset's definitions describe: other names for it (a time column's
    ``signup date``) and the words people use for its values (``US`` -> 'United States')."""

    table: str  # table id, lower case
    column: str
    synonyms: tuple[tuple[str, ...], ...] = ()  # stemmed words
    values: tuple[tuple[str, str], ...] = ()  # (word as said, lower case; value stored)


def dimensions_from(out: dict[str, Any]) -> list[Dimension]:
    """The ``dimensions`` of one ``list_tables`` result (malformed entries skipped)."""
    found = []
    for d in out.get("dimensions") or []:
        if not isinstance(d, dict) or not d.get("table") or not d.get("column"):
            continue
        values: dict[str, Any] = d["values"] if isinstance(d.get("values"), dict) else {}
        found.append(Dimension(
            str(d["table"]).lower(), str(d["column"]),
            tuple(w for s in d.get("synonyms") or [] if (w := _said_words(str(s)))),
            tuple((" ".join(re.findall(r"\w+", str(k).lower())), str(v))
                  for k, v in values.items() if isinstance(v, str | int | float))))
    return found


def _said_words(synonym: str) -> tuple[str, ...]:
    """Stemmed words of a synonym as the parser keeps them: a particle ending a phrasal
    verb ("signed up") is dropped like any function word."""
    words = re.findall(r"[a-z0-9]+", synonym.lower())
    while len(words) > 1 and words[-1] in FUNCTION_WORDS:
        words.pop()
    return tuple(stem(w) for w in words)


def entity_synonyms(out: dict[str, Any]) -> dict[str, list[str]]:
    """Table id (lower case) -> what people call its rows ("customers" for users)."""
    found: dict[str, list[str]] = {}
    for e in out.get("entities") or []:
        if isinstance(e, dict) and e.get("table"):
            found.setdefault(str(e["table"]).lower(), []).extend(
                str(s) for s in e.get("synonyms") or [])
    return found


def find_metric(question: str, metrics: list[Metric],
                names: frozenset[tuple[str, ...]] = frozenset()) -> tuple[Metric, int, int] | None:
    """The metric the question names: (metric, start, end) character offsets of the
    words naming it, including a "total" said before it.

    Words match as said (lower case), not by stem: "sale price" is not "sales", and
    "order items" is not "orders". ``names`` are the stemmed word sequences of table
    and column names: a match that is the start of one ("sale price"), or that is
    the metric's own table named as rows ("how many orders"), is left to the planner's
    ordinary reading of names, and so is one whose first words end a name said just
    before ("items sold" in "order items sold").
    """
    toks = tokenize(question)
    lows = [t.low for t in toks]
    stems = [t.stem for t in toks]
    best: tuple[int, Metric, int, int] | None = None
    for m in metrics:
        own = tuple(stem(w) for w in re.findall(r"[a-z]+", m.table.rpartition(".")[2].lower()
                                                  .replace("_", " ")))
        for phrase in {tuple(re.findall(r"\w+", p.lower().replace("_", " ")))
                       for p in (m.name, *m.synonyms)}:
            n = len(phrase)
            for k in range(len(toks) - n + 1):
                end = _said_at(lows, k, phrase)
                if end is None or (best is not None and n <= best[0]):
                    continue
                said = tuple(stems[i] for i in range(k, end) if lows[i] not in COPULAS)
                if said == own or any(len(name) > n and name[:n] == said and tuple(
                        stems[k:k + len(name)]) == name for name in names):
                    continue
                if any(tuple(stems[j:j + len(name)]) == name for name in names
                       for j in range(max(0, k - len(name) + 1), k)):
                    continue  # "order items sold": the words start inside a table's name
                first = k - 1 if k > 0 and toks[k - 1].low in AGG_BEFORE else k
                best = (n, m, toks[first].start, toks[end - 1].end)
    return None if best is None else (best[1], best[2], best[3])


# "units are in stock" says the synonym "units in stock": a copula inside it is no word
# of its own.
COPULAS = frozenset({"is", "are", "was", "were", "be", "been", "being"})


def _said_at(lows: list[str], k: int, phrase: tuple[str, ...]) -> int | None:
    """Where ``phrase`` said from ``lows[k]`` ends (copulas inside it skipped), or None.
    A synonym ending in a participle ("items sold") may be said as a relative clause
    ("items we sold", "items did we sell", "units that were sold")."""
    i = k
    for w, word in enumerate(phrase):
        if w and w == len(phrase) - 1 and (end := _relative_clause(lows, i, word)):
            return end
        while w and i < len(lows) and lows[i] in COPULAS and lows[i] != word:
            i += 1
        if i >= len(lows) or lows[i] != word:
            return None
        i += 1
    return i


# the words between a noun and its verb in a relative clause: "that", a subject pronoun,
# an auxiliary ("items *did we* sell", "items *that were* sold", "units *we have* sold")
_CLAUSE_SUBJECTS = frozenset({"that", "which", "we", "you", "they", "i"})
_CLAUSE_WORDS = _CLAUSE_SUBJECTS | {"did", "do", "does", "have", "has", "had"} | COPULAS
PARTICIPLES: dict[str, str] = lexicon().maps["participles"]


def _relative_clause(lows: list[str], i: int, participle: str) -> int | None:
    """Where a relative clause from ``lows[i]`` ending in ``participle`` (or its verb)
    ends, or None; the clause must have a subject or a "that"."""
    verb = PARTICIPLES.get(participle)
    if verb is None and not participle.endswith("ed"):
        return None  # not a participle: "items sold" only, not "revenue we total"
    forms = {participle, verb} if verb else {participle, participle[:-2], participle[:-1]}
    j = i
    while j < len(lows) and lows[j] in _CLAUSE_WORDS:
        j += 1
    if j == i or j >= len(lows) or lows[j] not in forms or not set(lows[i:j]) & _CLAUSE_SUBJECTS:
        return None
    return j + 1


def defined_terms(notes: str) -> dict[str, str]:
    """Terms a dataset's notes define -> the sentence defining them."""
    out: dict[str, str] = {}
    for m in _DEFINITION.finditer(notes or ""):
        term = m.group(1).strip().lower()
        if 0 < len(term.split()) <= 3:
            end = notes.find("\n", m.end())
            out[term] = notes[m.start(1):end if end >= 0 else len(notes)].strip()
    return out


def undefined_use(toks: list[Tok], notes: list[str], opaque: tuple[str, ...] = ()) -> str | None:
    """A documented term the question uses, as the sentence defining it."""
    said = [t.stem for t in toks]
    defined = {t: s for text in notes for t, s in defined_terms(text).items()}
    defined.update({t.lower(): f"{t} is a defined metric" for t in opaque})
    for term, sentence in defined.items():
        words = tuple(stem(w) for w in re.findall(r"\w+", term))
        n = len(words)
        if n and any(tuple(said[k:k + n]) == words for k in range(len(said) - n + 1)):
            return sentence
    return None


def qualified(sql: str, alias: str) -> str:
    """A metric's expression or filter with its bare columns prefixed by ``alias``."""
    tree = parse_one(sql, read="bigquery")
    if alias:
        for col in tree.find_all(exp.Column):
            if not col.table:
                col.set("table", exp.to_identifier(alias))
    return tree.sql(dialect="bigquery")
