"""Terse names read against the question's own words: ``bns_amt`` is the bonus amount
where the question says "bonuses", ``shpmt`` the shipments where it says "shipments".

The general abbreviations (``cd`` code, ``nm`` name, ``amt`` amount ...) are expanded for
every name by ``words.stem`` from the lexicon. What no table can list is the rest of a
naming standard's shortenings; a name word is read as a question word when it is:

- the word with its vowels dropped (``bns`` bonus, ``gndr`` gender, ``shpmt`` shipment:
  its letters in order, the first the same, no vowel after the first letter but a final
  ``e`` as in ``whse``, and not the word's start: "age" is not short for "aged"), or
- two letters of the word said right before another the name's next word is read as
  (``lv_req`` in "leave requests", ``ot_hrs`` in "overtime hours"), or
- the start of the word (``estab`` established, ``carr`` carrier: at least three
  letters, the word at least two letters longer, and not a whole word an ending makes
  another of: "ship" is not short for "shipment" or "shipped").

Only words the catalog does not already know are read this way, never the lexicon's
words that shape a query ("total" is not ``ttl``), though a word the planner otherwise
takes for the warehouse itself may be (``whse`` for "warehouses"). Readings are one to
one: a question word two name words could shorten, or a name word two question words
could spell out, is left unread, so the question is declined naming the word rather
than answered on a guess. Each reading is returned so the interpretation shows it
("read 'bns' as 'bonuses'"): a misreading is visible to the person asking.
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Catalog, Column, Table
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.words import (
    BOUNDARIES,
    FILLERS,
    QUESTION_WORDS,
    VERBS,
    Tok,
    tokenize,
)

VOWELS = frozenset("aeiou")
MIN_SHORT = 3  # two letters (``lv``, ``ot``) fit too many words to be read from one
MIN_WORD = 4


def dropped_vowels(short: str, word: str) -> bool:
    """``short`` is ``word`` without its vowels (and perhaps a few more letters).

    >>> dropped_vowels("bns", "bonus"), dropped_vowels("whse", "warehouse")
    (True, True)
    >>> dropped_vowels("ttl", "title"), dropped_vowels("btl", "title")
    (True, False)
    >>> dropped_vowels("age", "aged")
    False
    """
    if (len(short) < MIN_SHORT or short[0] != word[0] or len(word) <= len(short)
            or word.startswith(short)):  # "age" in "aged": an ending, not dropped vowels
        return False
    inner = short[1:-1] + (short[-1] if short[-1] != "e" else "")
    if VOWELS & set(inner):
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in short[1:])


# Endings that make another word of a whole one ("ship" -> "shipment"): what is left
# after such a start is no shortening.
DERIVED = ("ment", "ing", "er", "ed", "ion", "ness", "able", "ful", "ly")


def cut_short(short: str, word: str) -> bool:
    """``short`` is the start of ``word``, cut at least two letters early, not a whole
    word that an ending derives ``word`` from.

    >>> cut_short("estab", "established"), cut_short("carr", "carrier"), cut_short("stat", "state")
    (True, True, False)
    >>> cut_short("ship", "shipment"), cut_short("ship", "shipped")
    (False, False)
    """
    rest = word[len(short):]
    if rest[:1] == short[-1:]:  # "shipped": the last letter doubled before the ending
        rest = rest[1:]
    return (len(short) >= MIN_SHORT and len(word) >= len(short) + 2 and word.startswith(short)
            and rest not in DERIVED)


def shortens(short: str, word: str) -> bool:
    return dropped_vowels(short, word) or cut_short(short, word)


def _names(catalog: Catalog) -> list[Table | Column]:
    return [*catalog.tables.values(),
            *(c for t in catalog.tables.values() for c in t.columns or [])]


def readings(question: str, catalog: Catalog) -> dict[str, str]:
    """Name word -> the question word (stem) it shortens, one to one."""
    names = _names(catalog)
    vocab = {w for n in names for w in n.written}
    lex = lexicon()
    shaping = (lex.function_words | lex.light_verbs).union(*lex.features.values())
    toks = tokenize(question)
    said = {t.stem for t in toks}
    asked = {t.stem for t in toks
             if not t.quoted and t.number is None and not t.cap and t.stem.isalpha()
             and len(t.stem) >= MIN_WORD and t.stem not in vocab
             and not {t.low, t.stem} & (shaping | FILLERS | BOUNDARIES | VERBS
                                        | QUESTION_WORDS)}
    shorts = {w for w in vocab if w.isalpha() and w not in said}
    pairs = [(s, q) for s in shorts for q in asked if shortens(s, q)]
    pairs += _two_letters(names, toks, asked, said, pairs)
    return one_to_one([(fit(s, q), s, q) for s, q in pairs])


def spelled_to_end(short: str, word: str) -> bool:
    """``short`` drops only vowels and inner letters: its last letter is the word's last
    (or last but its final vowels), as ``obsr`` spells "observer" to the end but stops
    in the middle of "observation".

    >>> spelled_to_end("obsr", "observer"), spelled_to_end("obsr", "observation")
    (True, False)
    >>> spelled_to_end("whse", "warehouse"), spelled_to_end("svy", "survey")
    (True, True)
    """
    return short[-1] == word[-1] or short[-1:] == word.rstrip("".join(VOWELS))[-1:]


def fit(short: str, word: str) -> int:
    """How closely a shortening fits, best first: the word with its vowels dropped to its
    end (``obsr`` observer); the word's start (``obs`` observation, ``carr`` carrier) or
    two letters the question places (``lv`` leave); letters picked from the word's middle
    (``obsr`` in "observation")."""
    if dropped_vowels(short, word) and spelled_to_end(short, word):
        return 0
    if cut_short(short, word) or not dropped_vowels(short, word):
        return 1
    return 2


def one_to_one(ranked: list[tuple[int, str, str]]) -> dict[str, str]:
    """Name word -> question word, best fits first: where ``obs`` and ``obsr`` both could
    shorten "observer", ``obsr`` (spelled to the end) is the reading and ``obs`` is left
    for "observation", which it starts. Where two readings fit equally well the name
    word and the question word are both left unread (and stay so for worse fits), so a
    guess is never made between them."""
    out: dict[str, str] = {}
    closed: set[str] = set()  # name and question words read, or contested
    for rank in sorted({r for r, _, _ in ranked}):
        here = [(s, q) for r, s, q in ranked
                if r == rank and s not in closed and "?" + q not in closed]
        for s, q in here:
            if sum(1 for s2, _ in here if s2 == s) == 1 and sum(
                    1 for _, q2 in here if q2 == q) == 1:
                out[s] = q
        closed |= {s for s, _ in here} | {"?" + q for _, q in here}
    return out


def _two_letters(names: list[Table | Column], toks: list[Tok], asked: set[str],
                 said: set[str], pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``lv_req`` for "leave requests", ``ot_hrs`` for "overtime hours": two letters fit
    too many words to be read alone, so only where the question says the word right
    before the one the name's next word is read as (the letters in order, the first
    the same)."""
    read = dict(pairs)
    out: list[tuple[str, str]] = []
    for name in names:
        for short, after in zip(name.written, name.written[1:], strict=False):
            if len(short) != MIN_SHORT - 1 or not short.isalpha() or short in said:
                continue
            heard = read.get(after, after if after in said else None)
            for before, tok in zip(toks, toks[1:], strict=False):
                q = before.stem
                if (tok.stem == heard and q in asked and q[0] == short[0]
                        and short[1] in q[1:] and (short, q) not in out):
                    out.append((short, q))
    return out


def read_names(question: str, catalog: Catalog) -> list[tuple[str, str]]:
    """Give the catalog's names the words ``question`` spells out for their shortenings
    (and back their written words where it spells none); return the readings as
    (name word, question word as typed), for the interpretation."""
    found = readings(question, catalog)
    changed = False
    for name in _names(catalog):
        words = tuple(found.get(w, w) for w in name.written)
        if words != name.words:
            name.words = words
            changed = True
    if changed:
        catalog.derived.clear()  # the key graph is read off the names' words
    typed = {t.stem: t.low for t in tokenize(question)}
    return [(s, typed.get(q, q)) for s, q in sorted(found.items())]
