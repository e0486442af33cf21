"""Spelling against the catalog's own vocabulary: "depatment" -> "department",
"high schoolers" -> "highschoolers" (a table named Highschooler).

Only words the catalog does not know and the lexicon does not hold are touched,
and only towards a word of a table or column name that is one edit away (two for
long words, a swap of neighbouring letters counting as one), with the same first
letter, and with no rival at the same distance. One word that a name writes as two
("hometown" for Home_Town) is cut where the name cuts it. The lexicon's words that shape a
query ("commmon", "alphaetical") are mended too, more strictly: one edit, inside
the word, since a different ending is usually another real word ("county" is not
"count"). Two question words that spell one
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
_AGENT_PERSONS = lexicon().sets["agent_persons"]


def _pairs(catalog: Catalog) -> frozenset[tuple[str, str]]:
    """Neighbouring words of table and column names (``home_town``: home, town)."""
    names = [t.words for t in catalog.tables.values()] + [
        c.words for t in catalog.tables.values() for c in t.columns or []]
    return frozenset(p for words in names for p in zip(words, words[1:], strict=False))


def _split(word: str, pairs: frozenset[tuple[str, str]]) -> str | None:
    """``hometown`` -> ``home town`` where a name says Home_Town: the one way to cut the
    word into two neighbouring words of a name."""
    cuts = [word[:i] + " " + word[i:] for i in range(3, len(word) - 2)
            if (stem(word[:i]), stem(word[i:])) in pairs]
    return cuts[0] if len(cuts) == 1 else None


def vocabulary(catalog: Catalog) -> frozenset[str]:
    words: set[str] = set()
    for table in catalog.tables.values():
        words.update(table.words)
        for c in table.columns or []:
            words.update(c.words)
    return frozenset(w for w in words if w.isalpha())


def _allowed(word: str) -> int:
    return 2 if len(word) >= 9 else 1


def _typo(word: str, targets: frozenset[str]) -> str | None:
    """The one lexicon word ``word`` misspells by a single edit inside it (the first
    letter and the last two agree), if there is exactly one."""
    found = [w for w, _, _ in extract(word, targets, scorer=DamerauLevenshtein.distance,
                                       score_cutoff=1, limit=3)
             if len(w) >= MIN_LENGTH - 1 and w[0] == word[0] and w[-2:] == word[-2:]
             and w != word]
    return found[0] if len(found) == 1 else None


def _agent_noun(question: str, spans: list[re.Match[str]], k: int,
                vocab: frozenset[str]) -> tuple[str, int] | None:
    """``high school students`` -> ``highschoolers`` where a name says Highschooler: two
    words the catalog does not know, written together with "-er", and then a word for
    the persons that "-er" says; the joined word and the index of the last word read."""
    if k + 2 >= len(spans) or any(question[a.end():b.start()] != " "
                                  for a, b in zip(spans[k:k + 2], spans[k + 1:k + 3],
                                                  strict=False)):
        return None
    first, second, person = (spans[i].group(0) for i in range(k, k + 3))
    if (person.lower() not in _AGENT_PERSONS or stem(first) in vocab
            or stem(second) in vocab):
        return None
    joined = (first + second).lower() + "er"
    if stem(joined) not in vocab:
        return None
    return joined + ("s" if stem(person) != person.lower() else ""), k + 2


def correct(question: str, catalog: Catalog) -> tuple[str, list[tuple[str, str]]]:
    """The question with misspelt and split catalog words mended, and what changed."""
    vocab = vocabulary(catalog)
    if not vocab:
        return question, []
    lex = lexicon()
    features = frozenset().union(*lex.features.values())
    known = lex.contentless | features
    pairs = _pairs(catalog)
    changes: list[tuple[str, str]] = []
    spans = list(_WORD.finditer(question))
    out: list[str] = []
    last = 0
    k = 0
    while k < len(spans):
        m = spans[k]
        word = m.group(0)
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        agent = _agent_noun(question, spans, k, vocab)
        if agent is not None:
            joined, last_k = agent
            out.append(question[last:m.start()] + joined)
            changes.append((question[m.start():spans[last_k].end()], joined))
            last, k = spans[last_k].end(), last_k + 1
            continue
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
            fixed = (close[0][0] if close and (len(close) == 1 or close[0][1] < close[1][1])
                     else _split(low, pairs) or _typo(low, features))
            if fixed is not None:
                out.append(question[last:m.start()] + fixed)
                changes.append((word, fixed))
                last = m.end()
        k += 1
    out.append(question[last:])
    return "".join(out), changes
