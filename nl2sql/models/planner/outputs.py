"""The columns a question lists for its answer, said apart at its end: "top 5 products by
revenue (product id and revenue)", "Top 3 distribution centers by revenue (name and
revenue)". (A list said as a sentence, "List the owner id and last name.", is the
planner's ordinary reading of a listing.)

The list is read apart (``read``): the rest of the question is planned as usual, then
every listed item must be something the plan shows (``apply``):

- the measure: a defined metric by its name or a synonym, a measured column with its
  aggregate's word ("average price"), or "the number of <rows>" for a count;
- a group: a plain grouped column by its words, or a grouped entity by its label
  ("name", "center name") or by its key ("product id", "id"). A key asked for replaces
  the label: the groups are then shown by the key column the rows hold (``product_id``),
  and the interpretation says "by product id".

Anything else in the list declines the question: a column the plan does not show would
be silently dropped from the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nl2sql.models.planner.catalog import Catalog, label_columns
from nl2sql.models.planner.joins import prune
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.plan import GroupKey, Measure, Plan
from nl2sql.models.planner.words import stem, tokenize

# "(product id and revenue)" ending the question, after its last word
_PARENS = re.compile(r"\s*\((?P<items>[^()]+)\)\s*[.?!]?\s*$")
_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\s*", re.I)
_SKIP = lexicon().function_words | lexicon().sets["fillers"] | {"each", "every"}
_COUNT_WORDS = frozenset({"number", "count", "total"})
_AGG = {"AVG": {"average", "mean", "avg"}, "SUM": {"total", "sum"}, "MAX": {"maximum", "max",
        "highest", "largest"}, "MIN": {"minimum", "min", "lowest", "smallest"},
        "MEDIAN": {"median"}}


@dataclass(frozen=True)
class Listed:
    rest: str  # the question without the list
    items: tuple[tuple[str, ...], ...]  # each item's stemmed content words
    said: str  # the list as said, for messages


def read(question: str) -> Listed | None:
    """The output list ending ``question``, taken out; None when there is none (one
    item, or nothing before it)."""
    m = _PARENS.search(question)
    if m is None or not question[:m.start()].strip():
        return None
    parts = [p for p in _SPLIT.split(m.group("items").strip()) if p.strip()]
    items = tuple(tuple(stem(t.low) for t in tokenize(p) if t.low not in _SKIP) for p in parts)
    if len(items) < 2 or not all(items):
        return None
    return Listed(question[:m.start()].rstrip(), items, m.group("items").strip())


def apply(plan: Plan, listed: Listed, catalog: Catalog) -> str | None:
    """Show what the list asks for, or say which item the plan cannot show."""
    keyed: list[int] = []
    for item in listed.items:
        if any(_measure_shows(m, item, plan) for m in plan.measures):
            continue
        shown = [k for k, g in enumerate(plan.groups) if _group_shows(g, item)]
        if shown:
            continue
        by_key = [k for k, g in enumerate(plan.groups) if _group_key_said(g, item)]
        if len(by_key) != 1:
            return (f"I could not tell which column of the answer '{' '.join(item)}' in "
                    f"'{listed.said}' is")
        keyed.append(by_key[0])
    for k in keyed:
        g = plan.groups[k]
        assert g.entity is not None
        plan.groups[k] = GroupKey(g.entity.fk)  # the key the rows hold: product_id
    if keyed:
        prune(plan, catalog)  # the entity's own table is no longer read
    return None


def _measure_shows(m: Measure, item: tuple[str, ...], plan: Plan) -> bool:
    said = set(item)
    if m.metric is not None:  # "revenue", "total revenue"
        return tuple(w for w in item if w not in _AGG["SUM"]) in m.metric.phrases
    if m.func in ("COUNT", "COUNT_DISTINCT"):  # "the number of returned items", "trips"
        rows = set(plan.subject.words) | {stem(str(v).lower()) for f in plan.filters
                                          for v in f.values if isinstance(v, str)}
        if m.column is not None:
            rows |= set(m.column.words)
        return said - _COUNT_WORDS <= rows and bool(said & (_COUNT_WORDS | set(
            plan.subject.words if m.column is None else m.column.words)))
    if m.column is None or m.func not in _AGG:
        return False
    rest = said - _AGG[m.func]
    return bool(rest) and rest <= set(m.column.words) and (
        said != rest or m.func == "SUM")  # "price" alone is its total, not its average


def _group_shows(g: GroupKey, item: tuple[str, ...]) -> bool:
    """A plain group by its words; an entity by its label ("name", "center name")."""
    said = set(item)
    if g.entity is None:
        return g.unit is None and said <= set(g.column.words)
    own = set(g.entity.target.words)
    return any(said <= own | set(c.words) and said & set(c.words)
               for c in label_columns(g.entity.target))


def _group_key_said(g: GroupKey, item: tuple[str, ...]) -> bool:
    """An entity group by its key: "id" alone (the one entity grouped), "product id"."""
    if g.entity is None or item[-1] != "id":
        return False
    named = set(item[:-1])
    return named <= set(g.entity.target.words) | set(g.entity.fk.words)
