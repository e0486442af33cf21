"""Words: tokens of a question, English normalisation and the small generic lexicons.

Nothing here knows any schema. Names and questions meet on *canonical stems*:
lower case, common abbreviations expanded, plurals folded.

>>> [t.stem for t in tokenize("How many Categories?")]
['how', 'many', 'category']
>>> name_words("num_of_item")
('number', 'item')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nl2sql.models.planner.lexicon import lexicon


def wordset(text: str) -> frozenset[str]:
    """A set of words written as one string, for readable lexicons."""
    return frozenset(text.split())


_LEX = lexicon()  # the word tables are data: lexicon.yaml
# Abbreviations found in column names, mapped to the word a question uses.
ABBREVIATIONS: dict[str, str] = _LEX.maps["abbreviations"]
IRREGULAR: dict[str, str] = _LEX.maps["irregular"]
# Words that carry no meaning for matching and do not end a phrase.
FILLERS = _LEX.sets["fillers"]
# Words that end a phrase (prepositions, auxiliaries, pronouns, imperatives).
BOUNDARIES = _LEX.sets["boundaries"]
# Common verbs: they end a phrase and are never asked about as values.
VERBS = _LEX.sets["verbs"]
# Words that never count as unexplained: they describe the warehouse itself.
NEUTRAL = _LEX.sets["neutral"]
QUESTION_WORDS = _LEX.sets["question_words"]

MONTHS: dict[str, int] = dict(_LEX.maps["months"])
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items()) if m != "may"})
NUMBER_WORDS: dict[str, int] = _LEX.maps["number_words"]
TIME_UNITS: dict[str, str] = _LEX.maps["time_units"]
TIME_ADJECTIVES: dict[str, str] = _LEX.maps["time_adjectives"]

_TOKEN = re.compile(
    r"[\"“”]([^\"“”]+)[\"“”]|(?<!\w)'([^']+)'(?!\w)|(\d+\.\d+(?!\w)|\w+(?:['’]\w+)*)|(%)")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True)
class Tok:
    """One token of a question; ``start``/``end`` index the original text."""

    i: int
    raw: str
    low: str
    stem: str
    start: int
    end: int
    quoted: bool = False
    cap: bool = False  # capitalised inside the sentence: likely a proper value
    number: int | float | None = None


@lru_cache(maxsize=65536)  # pure, and called for every word of every name, every turn
def stem(word: str) -> str:
    """Canonical form of one word: lower case, abbreviation expanded, singular.

    >>> [stem(w) for w in ["Countries", "statuses", "status", "boxes", "Women", "qty"]]
    ['country', 'status', 'status', 'box', 'woman', 'quantity']
    >>> [stem(w) for w in ["warehouses", "causes", "buses"]]
    ['warehouse', 'cause', 'bus']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    if w in ABBREVIATIONS:
        return ABBREVIATIONS[w]
    if w in IRREGULAR:
        return IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ouses", "auses")):  # houses, causes: the -e is the word's own
        return w[:-1]
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes", "uses", "zzes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")):
        return w[:-1]
    return w


def root(word: str) -> str:
    """A word without its regular verb endings, so "arriving", "arrived" and "arrive" meet,
    and without the endings that make a noun of a verb ("arrival", "departure",
    "enrolment"), so a column named for the event meets the question's noun.

    >>> [root(w) for w in ["arriving", "arrived", "Arrive", "departing", "dates"]]
    ['arriv', 'arriv', 'arriv', 'depart', 'dat']
    >>> [root(w) for w in ["arrival", "departure", "enrolment", "enrolled", "total"]]
    ['arriv', 'depart', 'enrol', 'enrol', 'total']
    """
    w = stem(word)
    for end in ("ment", "ure", "al"):
        if w.endswith(end) and len(w) - len(end) >= 4:
            return w[:-len(end)]
    for end in ("ing", "ed", "e"):
        if w.endswith(end) and len(w) - len(end) >= 3:
            w = w[:-len(end)]
            # "enrolled", "shipped": the doubled consonant is the ending's
            return w[:-1] if len(w) >= 5 and w[-1] == w[-2] and w[-1] not in "aeiou" else w
    return w


def is_plural(word: str) -> bool:
    w = word.lower()
    return stem(w) != w and w not in ABBREVIATIONS and not w.endswith("'s")


def expand(text: str) -> str:
    """Contractions spelled out: ``haven't`` -> ``have not``, ``what's`` -> ``what is``.

    >>> expand("Orders that haven't shipped? What's left? Won't")
    'Orders that have not shipped? What is left? will not'
    """
    def nt(m: re.Match[str]) -> str:
        return {"wo": "will", "ca": "can", "ai": "are", "sha": "shall"}.get(
            m.group(1).lower(), m.group(1)) + " not"
    text = re.sub(r"\b(\w+)n['’]t\b", nt, text)
    return re.sub(r"\b(what|where|who|how|that|there|it)['’]s\b",
                  lambda m: m.group(1) + " is", text, flags=re.IGNORECASE)


def tokenize(text: str) -> list[Tok]:
    """Tokens of ``text``: words, quoted strings (one token each) and ``%``."""
    out: list[Tok] = []
    for quoted, raw, start, end in _spans(text):
        low = raw.lower()
        number: int | float | None = None
        if quoted is None and re.fullmatch(r"\d+(\.\d+)?", raw):
            number = float(raw) if "." in raw else int(raw)
        elif low in NUMBER_WORDS:
            number = NUMBER_WORDS[low]
        cap = quoted is None and bool(out) and raw[:1].isupper() and low not in QUESTION_WORDS
        out.append(Tok(len(out), raw, low, stem(raw) if quoted is None else low,
                       start, end, quoted=quoted is not None, cap=cap, number=number))
    return out


# an unquoted word written as a column's name ("List the section_name"); names with a
# letter or digit part ("t_2", "v_1") are codes a name is matched by whole, left alone
_SNAKE = re.compile(r"[A-Za-z]{2,}(?:_[A-Za-z]{2,})+")


def _spans(text: str) -> list[tuple[str | None, str, int, int]]:
    """(quoted text or None, raw text, start, end) of each token; a snake_case word is
    split into its words, so it reads as the words of the column it names."""
    out: list[tuple[str | None, str, int, int]] = []
    for m in _TOKEN.finditer(text):
        quoted = m.group(1) or m.group(2)
        raw = quoted if quoted is not None else (m.group(3) or m.group(4))
        if quoted is None and _SNAKE.fullmatch(raw):
            out += [(None, w.group(0), m.start() + w.start(), m.start() + w.end())
                    for w in re.finditer(r"[A-Za-z]+", raw)]
        else:
            out.append((quoted, raw, m.start(), m.end()))
    return out


def split_name(name: str) -> list[str]:
    """Parts of an identifier: ``productDistributionCenter_id`` -> product, distribution, ..."""
    parts: list[str] = []
    for piece in re.split(r"[^A-Za-z0-9]+", name):
        parts.extend(p for p in _CAMEL.split(piece) if p)
    return [p.lower() for p in parts]


# Parts of column names that say nothing about meaning (created_at ~ created).
_NAME_NOISE = _LEX.sets["name_noise"]


# Last parts of key column names: customer_id, CustomerId, customer_key, customer_sk.
KEY_SUFFIXES = tuple(sorted(_LEX.sets["key_suffixes"]))
# First parts of foreign key names: fkDept, FK_customer.
KEY_PREFIXES = tuple(sorted(_LEX.sets["key_prefixes"]))
# First parts of names that shorten "number": n_sold, nb_items (only there, as "n" is no word).
NUMBER_FIRST = _LEX.sets["number_first"]
# Units written after a quantity's name: WeightKg, price_usd, duration_ms.
UNIT_SUFFIXES = _LEX.sets["unit_suffixes"]
# Short time units (min, sec, hr -> minute, second, hour), units only after a span word.
TIME_UNIT_SHORTS: dict[str, str] = _LEX.maps["time_unit_shorts"]
SPAN_WORDS = _LEX.sets["span_words"]
# Words that only say a column counts or adds up something: left alone, not a name.
_COUNTING = _LEX.sets["amount_words"] | _LEX.sets["name_cues"]


def is_key_name(parts: list[str]) -> bool:
    """Parts of a key column's name: ``id``, ``customer_id``, ``CustomerKey``, ``fkDept``."""
    return parts[-1:] == ["id"] or (len(parts) > 1 and (
        parts[-1] in KEY_SUFFIXES or parts[0] in KEY_PREFIXES))
# Warehouse naming conventions around a table's real name: dim_customer, fact_sales, tbl_x.
_TABLE_NOISE = _LEX.sets["table_noise"]


def name_words(name: str) -> tuple[str, ...]:
    """Canonical words of a column name, without key and connective parts.

    >>> name_words("product_distribution_center_id"), name_words("CustomerKey")
    (('product', 'distribution', 'center'), ('customer',))
    >>> name_words("fkDept"), name_words("WeightKg")
    (('department',), ('weight',))
    """
    words = [stem(p) for p in split_name(name) if p not in _NAME_NOISE]
    if len(words) > 1 and words[0] in NUMBER_FIRST:
        words[0] = "number"
    if len(words) > 1 and words[-1] in KEY_SUFFIXES:
        words = words[:-1]
    elif len(words) > 1 and words[0] in KEY_PREFIXES:
        words = words[1:]
    if len(words) > 1 and words[-1] in UNIT_SUFFIXES and words[-2] not in _COUNTING:
        words = words[:-1]  # not total_minutes, number_kwh: "total" alone names no quantity
    elif len(words) > 1 and words[-1] in TIME_UNIT_SHORTS and words[-2] in SPAN_WORDS:
        words = words[:-1]  # dur_min is the duration in minutes; temp_min is a minimum
    return tuple(words)


def table_words(name: str) -> tuple[str, ...]:
    """Canonical words of a table name, without warehouse prefixes.

    >>> table_words("dim_customer"), table_words("order_items"), table_words("fact")
    (('customer',), ('order', 'item'), ('fact',))
    """
    words = list(name_words(name))
    while len(words) > 1 and words[0] in _TABLE_NOISE:
        words.pop(0)
    while len(words) > 1 and words[-1] in _TABLE_NOISE:
        words.pop()
    return tuple(words)


def text_words(text: str | None) -> frozenset[str]:
    """Canonical content words of a description."""
    if not text:
        return frozenset()
    return frozenset(
        stem(w) for w in re.findall(r"\w+", text)
        if w.lower() not in FILLERS and w.lower() not in BOUNDARIES and len(w) > 2
    )


# Nouns for people in general: a question saying one may mean any person-like table.
PERSON_WORDS = _LEX.sets["person_words"]


def description_nouns(text: str | None, own: tuple[str, ...]) -> frozenset[str]:
    """Content words of a table's description, without those modifying the table's own
    name: "Customer orders" describes orders, not customers.

    >>> sorted(description_nouns("Customer orders, one row per order", ("order",)))
    ['one', 'order', 'row']
    """
    words = re.findall(r"\w+", text or "")
    if not words:
        return frozenset()
    return frozenset(
        stem(w) for w, nxt in zip(words, [*words[1:], ""], strict=True)
        if w.lower() not in FILLERS and w.lower() not in BOUNDARIES and len(w) > 2
        and not (stem(nxt) in own and stem(w) not in own)
    )


def singular_phrase(name: str) -> str:
    """``order_items`` -> ``order item``, for answer text."""
    return " ".join(stem(p) for p in split_name(name))


# Singular -> plural where English does not add -s; and nouns with no plural.
_PLURALS = {one: many for many, one in IRREGULAR.items() if one != many and one + "s" != many}
UNCOUNTABLE = _LEX.sets["uncountable"]


def readable(words: tuple[str, ...] | list[str]) -> bool:
    """Whether a name's words read as English in a sentence: not ``t_1``, ``v``, ``x2``."""
    return bool(words) and all(w.isalpha() and len(w) >= 3 for w in words)


def plural_phrase(name: str) -> str:
    """``order_item`` / ``order_items`` -> ``order items``; ``person`` -> ``people``.

    >>> plural_phrase("person"), plural_phrase("Staff"), plural_phrase("category")
    ('people', 'staff', 'categories')
    """
    words = [stem(p) for p in split_name(name)]
    if not words:
        return name
    last = words[-1]
    if last in _PLURALS:
        words[-1] = _PLURALS[last]
    elif last in UNCOUNTABLE:
        pass
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        words[-1] = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        words[-1] = last + "es"
    else:
        words[-1] = last + "s"
    return " ".join(words)
