"""Agent nouns for "<verb>ed by" columns: "directors" -> "directed by" (Directed_by),
"writer" -> "written by" (Written_by), "creators" -> "created by" (Created_by).

A column named for who did something (``Directed_by``, ``Managed_by``) holds the doers;
a question names them with the agent noun ("the cartoons and their directors", "how
many cartoons did each writer write"). The noun is the verb's stem with "-or"/"-er";
the column's participle is that stem with "-ed", "-d", "-en" or "-ten" ("creat-or",
"creat-ed"; "writ-er", "writ-ten"). Only a word the catalog's own names do not hold
is read so (a table named Director is what "directors" means there), and only towards
one participle, so that the reading is not a guess; it is reported as a correction so
the interpretation says how the word was read.
"""

from __future__ import annotations

import re

from nl2sql.models.planner.catalog import Catalog
from nl2sql.models.planner.spelling import vocabulary
from nl2sql.models.planner.words import split_name, stem

_WORD = re.compile(r"[A-Za-z]+")
_AGENT_ENDINGS = ("or", "er")
_PARTICIPLE_ENDINGS = ("ed", "d", "en", "ten")


def _doer_columns(catalog: Catalog) -> dict[str, str]:
    """Participle -> how its column's name reads ("directed" -> "directed by")."""
    out: dict[str, str] = {}
    for table in catalog.tables.values():
        for col in table.columns or []:
            parts = split_name(col.name)
            if len(parts) == 2 and parts[1] == "by" and parts[0].endswith(("ed", "en")):
                out[parts[0]] = " ".join(parts)
    return out


def _participle(word: str, participles: dict[str, str]) -> str | None:
    """The one participle of the catalog the agent noun ``word`` (a stem) is made from."""
    found = {base + end for suffix in _AGENT_ENDINGS if word.endswith(suffix)
             for base in [word[:-len(suffix)]] if len(base) >= 3
             for end in _PARTICIPLE_ENDINGS if base + end in participles}
    return found.pop() if len(found) == 1 else None


def read_agents(question: str, catalog: Catalog) -> tuple[str, list[tuple[str, str]]]:
    """The question with agent nouns of "<verb>ed by" columns read as those columns'
    names, and what changed (as typed, as read)."""
    participles = _doer_columns(catalog)
    if not participles:
        return question, []
    vocab = vocabulary(catalog)
    out: list[str] = []
    changes: list[tuple[str, str]] = []
    last = 0
    for m in _WORD.finditer(question):
        word = m.group(0)
        s = stem(word)
        if s in vocab or word.lower() in vocab:
            continue
        found = _participle(s, participles)
        if found is None:
            continue
        out.append(question[last:m.start()] + participles[found])
        changes.append((word, participles[found]))
        last = m.end()
    out.append(question[last:])
    return "".join(out), changes
