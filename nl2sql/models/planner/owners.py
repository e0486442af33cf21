"""Whose column a phrase names: "the name *of the breed*", "the names of the owners".

``owner_after`` reads the words right after a phrase: "of (the) <a table's name>" says
which table's column the phrase means, so "name" there is Breeds.breed_name rather than
the dogs' own name. ``names_of`` reads "the names of the owners", where the owners are
named by two columns (first_name, last_name), as the owners themselves, shown by those
columns: a person's name is both, and picking one of them would be a guess.
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import LABEL_WORDS, Catalog, Table, label_columns
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.words import Tok

_FILLERS = lexicon().sets["fillers"]
NAME_PARTS = lexicon().sets["name_parts"]  # first_name, last_name: parts of one name
MAX_NAME = 3  # words of a table's name said after "of"


def owner_after(phrase: P.Phrase, toks: list[Tok], catalog: Catalog,
                scope: list[Table]) -> Table | None:
    """The table named right after ``phrase`` by "of (the) ...", if it is in ``scope``."""
    k = phrase.toks[-1].i + 1
    if k >= len(toks) or toks[k].low != "of":
        return None
    k += 1
    while k < len(toks) and toks[k].low in _FILLERS:
        k += 1
    for width in range(MAX_NAME, 0, -1):
        said = tuple(t.stem for t in toks[k:k + width])
        if len(said) != width:
            continue
        named = [t for t in scope if t.words == said]
        if len(named) == 1:
            return named[0]
    return None


def names_of(stems: tuple[str, ...], owner: Table | None, subject: Table | None,
             said: set[str]) -> Table | None:
    """``the names of the owners``: the table whose rows the words "name(s)" ask for,
    when its name is held in parts (first_name, last_name) and no other column is a
    name: the owner named after "of", else the subject where the question names it."""
    if stems != ("name",):
        return None
    table = owner if owner is not None else (
        subject if subject is not None and set(subject.words) <= said else None)
    if table is None:
        return None
    labels = label_columns(table)
    named = [c for c in table.columns or [] if c.text and not c.is_key and c.words
             and c.words[-1] in LABEL_WORDS]
    if len(labels) < 2 or labels != named or any(
            len(c.words) != 2 or c.words[0] not in NAME_PARTS or c.words[1] != "name"
            for c in named):
        return None  # product_name and brand_name: two names, not one in parts
    return table
