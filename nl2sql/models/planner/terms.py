"""What a dataset's definitions call its columns and values, for the matcher.

The semantic layer's dimensions give a column other names (``signup date`` for
``users.created_at``, ``acquisition channel`` for ``traffic_source``) and map the words
people use to the value a column stores (``US`` -> 'United States', ``refunded`` ->
'Returned'). The matcher consults them only where the catalog's own names and values
say nothing, so a documented word never overrides what the data itself holds.
"""

from __future__ import annotations

import re

from nl2sql.models.planner.catalog import Catalog, Column, Table
from nl2sql.models.planner.plan import Plan


def synonym_column(catalog: Catalog, scope: list[Table],
                   words: tuple[str, ...]) -> tuple[Table, Column] | None:
    """The one column in ``scope`` a definition calls ``words`` (stemmed), if exactly one."""
    if not words:
        return None
    found = []
    for d in catalog.dimensions:
        if words not in d.synonyms:
            continue
        for table in scope:
            col = table.column(d.column) if table.id.lower() == d.table else None
            if col is not None and (table, col) not in found:
                found.append((table, col))
    return found[0] if len(found) == 1 else None


def alias_values(catalog: Catalog, table: Table, col: Column, said: str) -> list[str]:
    """The values of ``col`` the definitions give the words ``said`` (normalised: lower
    case, words joined by single spaces)."""
    return [v for d in catalog.dimensions
            if d.table == table.id.lower() and d.column.lower() == col.name.lower()
            for w, v in d.values if w == said]


def spell_acronyms(question: str, catalog: Catalog) -> tuple[str, list[tuple[str, str]]]:
    """``top 5 US states``: an acronym the definitions give one value ('United States')
    written as that quoted value, since as a word it may read as another ("us"); and
    (said, read as) for the interpretation."""
    notes: list[tuple[str, str]] = []

    def spell(m: re.Match[str]) -> str:
        word = m.group(0)
        values = {v for d in catalog.dimensions for w, v in d.values if w == word.lower()}
        if len(values) != 1:
            return word
        value = values.pop()
        notes.append((word, value))
        return value

    out = re.sub(r"(?<!['\w])[A-Z]{2,5}(?!['\w])", spell, question)
    return out, notes


def alias_notes(question: str, plan: Plan, catalog: Catalog) -> list[tuple[str, str]]:
    """(word said, value read) for each filter value a definition's alias supplied."""
    said = " ".join(re.findall(r"\w+", question.lower()))
    notes = []
    values = [(f.column, v) for f in plan.filters for v in f.values if isinstance(v, str)]
    for col, v in values:
        if norm(v) in f" {said} ":
            continue  # the value itself was said
        for d in catalog.dimensions:
            if d.table == col.table.lower() and d.column.lower() == col.name.lower():
                notes += [(w, f"{col.name} '{v}'") for w, value in d.values
                          if value == v and f" {w} " in f" {said} "]
    return list(dict.fromkeys(notes))


def norm(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "
