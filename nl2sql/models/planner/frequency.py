"""How often a verb happened, read as how many of its rows there are.

"customers who ordered more than once", "users who booked at least twice", "patients
visited at least 3 times": the verb names a table of rows pointing at the subject
("ordered": orders), and "once" / "twice" / "N times" counts those rows. The words are
rewritten to the form the set conditions read ("have more than 1 orders", sets.py),
with a note for the interpretation, so the count is of related rows, never a comparison
of some number column with 2.

Only a verb in the past tense whose stem names exactly one table, followed by an explicit
comparison ("more than", "at least", ...), is read: "ordered twice" alone may mean exactly
or at least twice, and "bought more than once" names no table; both stay as said.
"""

from __future__ import annotations

import re

from nl2sql.models.planner.catalog import Catalog, Table
from nl2sql.models.planner.setroutes import names_table
from nl2sql.models.planner.words import NUMBER_WORDS, tokenize

_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_COMPARE = (r"more\s+than|over|at\s+least|fewer\s+than|less\s+than|at\s+most|no\s+more\s+than"
            r"|exactly")
_NUMBER = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_FREQUENCY = re.compile(
    rf"\b(?P<verb>[A-Za-z]+ed)\s+(?P<cmp>{_COMPARE})\s+"
    rf"(?:(?P<word>once|twice|thrice)|(?P<n>\d+|{_NUMBER})\s+times)\b",
    re.IGNORECASE)


def times_as_rows(question: str, catalog: Catalog) -> tuple[str, list[tuple[str, str]]]:
    """``question`` with each "<verb>ed <comparison> once/twice/N times" whose verb names
    one table spelled as a count of that table's rows, and (said, read as) notes."""
    notes: list[tuple[str, str]] = []

    def rewrite(m: re.Match[str]) -> str:
        table = _named_by(m.group("verb"), catalog)
        if table is None:
            return m.group(0)
        times = m.group("word")
        n = _TIMES[times.lower()] if times else _count(m.group("n"))
        cmp = " ".join(m.group("cmp").lower().split())
        said = f"have {cmp} {n} {table.name.replace('_', ' ').lower()}"
        notes.append((m.group(0), said))
        return said

    return _FREQUENCY.sub(rewrite, question), notes


def _count(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def _named_by(verb: str, catalog: Catalog) -> Table | None:
    """The one table the verb names by its last word ("ordered": orders, not order_items,
    which it names only by a first word), else None."""
    tok = tokenize(verb)[0]
    best = [t for t in catalog.tables.values() if names_table(tok, t) == 2]
    return best[0] if len(best) == 1 else None
