"""Spelling against the catalog's own vocabulary: "depatment" -> "department",
"high schoolers" -> "highschoolers" (a table named Highschooler).

Only words the catalog does not know and the lexicon does not hold are touched,
and only towards a word of a table or column name that is one edit away (two for
long words, a swap of neighbouring letters counting as one), with the same first
letter, and with no rival at the same distance. Two question words that spell one
name when written together are joined. The corrections are reported so the
interpretation can say how a word was read.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extract

from nl2sql.models.planner.catalog import Catalog
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.words import stem

MIN_LENGTH = 6  # shorter words are too often other real words one letter apart
_WORD = re.compile(r"[A-Za-z]+")


def vocabulary(catalog: Catalog) -> frozenset[str]:
    words: set[str] = set()
    for table in catalog.tables.values():
        words.update(table.words)
        for c in table.columns or []:
            words.update(c.words)
    return frozenset(w for w in words if w.isalpha())


def _allowed(word: str) -> int:
    return 2 if len(word) >= 9 else 1


def correct(question: str, catalog: Catalog) -> tuple[str, list[tuple[str, str]]]:
    """The question with misspelt and split catalog words mended, and what changed."""
    vocab = vocabulary(catalog)
    if not vocab:
        return question, []
    lex = lexicon()
    known = lex.contentless | frozenset().union(*lex.features.values())
    changes: list[tuple[str, str]] = []
    spans = list(_WORD.finditer(question))
    out: list[str] = []
    last = 0
    k = 0
    while k < len(spans):
        m = spans[k]
        word = m.group(0)
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        if (nxt is not None and question[m.end():nxt.start()] == " "
                and stem(word) not in vocab and stem(nxt.group(0)) not in vocab
                and stem((word + nxt.group(0)).lower()) in vocab):
            joined = word + nxt.group(0).lower()
            out.append(question[last:m.start()] + joined)
            changes.append((f"{word} {nxt.group(0)}", joined))
            last, k = nxt.end(), k + 2
            continue
        low = word.lower()
        s = stem(word)
        proper = word[:1].isupper() and k > 0  # a name inside the sentence: a value
        if (not proper and len(low) >= MIN_LENGTH and s not in vocab and low not in known
                and s not in known):
            close = [(w, d) for w, d, _ in extract(
                s, vocab, scorer=DamerauLevenshtein.distance, score_cutoff=_allowed(s),
                limit=3) if w[0] == s[0] and w != s]
            if close and (len(close) == 1 or close[0][1] < close[1][1]):
                fixed = close[0][0]
                out.append(question[last:m.start()] + fixed)
                changes.append((word, fixed))
                last = m.end()
        k += 1
    out.append(question[last:])
    return "".join(out), changes
