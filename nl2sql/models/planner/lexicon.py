"""The planner's general-English lexicon (``lexicon.yaml``), loaded once and validated.

The data file holds word classes, not code: which words carry no content, which
verbs only relate the things a question names, which words demand a visible
feature of the query (a "not" needs a negated condition), and the word sets and
tables the reading itself uses (``sets``, ``maps``: fillers, abbreviations,
irregular plurals, time units, month names ...). Validation rejects a
file whose classes are missing, empty, overlapping where they must not, or not
lower-case words, so a bad edit fails at import (and in the test) rather than
silently changing what the planner accounts for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

#: features a word can demand of the plan (see ``audit``)
FEATURES = ("negation", "alternative", "ordering", "ranking", "average", "median", "sum",
            "count", "distinct", "share", "comparison", "grouping")
#: word sets of the planner's reading (``sets``), each a string of lower-case words
SETS = ("fillers", "boundaries", "verbs", "neutral", "question_words", "person_words",
        "agent_persons", "uncountable", "name_noise", "table_noise", "key_suffixes", "key_prefixes",
        "unit_suffixes", "number_first", "amount_words", "reference_words", "numbered_after",
        "name_cues",
        "count_ranks", "value_ranks", "place_words", "time_words", "order_words", "descending",
        "high_first", "alphabetical", "order_skippable", "agg_before", "personal_pronouns",
        "name_parts", "money_columns", "money_words", "ended_words", "scheduled_words",
        "started_words",
        "ongoing_words", "former_words", "span_words")
#: word -> word, SQL date part or number tables (``maps``), and what their values must be
MAPS = {"abbreviations": "word", "irregular": "word", "participles": "word",
        "letter_codes": "letter",
        "time_units": "part", "time_adjectives": "part", "months": "number",
        "number_words": "number",
        "time_unit_shorts": "word"}
#: symbols a question may write for a word (the lexicon holds words only)
SYMBOLS = {"%": "percent"}
_WORD = re.compile(r"^[a-z][a-z']*$")
_VALUE = {"word": re.compile(r"^[a-z][a-z']*$"), "letter": re.compile(r"^[A-Z]$"),
          "part": re.compile(r"^(YEAR|QUARTER|MONTH|WEEK|DAY|HOUR)$")}


class LexiconError(ValueError):
    pass


@dataclass(frozen=True)
class Lexicon:
    function_words: frozenset[str]
    light_verbs: frozenset[str]
    warehouse_words: frozenset[str]
    features: dict[str, frozenset[str]]
    sets: dict[str, frozenset[str]]
    maps: dict[str, dict[str, Any]]

    def features_of(self, word: str) -> frozenset[str]:
        """The features a word can stand for ("least": a ranking or "at least"); a symbol
        stands for its word ("what % of ...": percent)."""
        word = SYMBOLS.get(word, word)
        return frozenset(f for f in FEATURES if word in self.features[f])

    @property
    def contentless(self) -> frozenset[str]:
        return self.function_words | self.light_verbs | self.warehouse_words

    def light(self, word: str) -> bool:
        """A light verb in any of its regular forms: the list holds "use", the question
        says "using" ("the number of channels using it")."""
        return any(w in self.light_verbs for w in lemmas(word))


def lemmas(word: str) -> list[str]:
    """The word and the base forms a regular English inflection may come from.

    >>> lemmas("using"), lemmas("sitting")
    (['using', 'us', 'use'], ['sitting', 'sitt', 'sitte', 'sit'])
    """
    out = [word]
    for end in ("ing", "ed", "es", "s"):
        if word.endswith(end) and len(word) >= len(end) + 2:
            base = word[:-len(end)]
            out += [base, base + "e"] if end in ("ing", "ed") else [base]
            if end in ("ing", "ed") and len(base) > 2 and base[-1] == base[-2]:
                out.append(base[:-1])
            break
    return out


def _words(raw: Any, where: str) -> frozenset[str]:
    if not isinstance(raw, str) or not raw.split():
        raise LexiconError(f"lexicon: {where} must be a non-empty string of words")
    bad = [w for w in raw.split() if not _WORD.match(w)]
    if bad:
        raise LexiconError(f"lexicon: {where} has entries that are not lower-case words: "
                           f"{', '.join(bad[:5])}")
    return frozenset(raw.split())


def _mapping(raw: Any, where: str, kind: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw:
        raise LexiconError(f"lexicon: maps.{where} must be a non-empty mapping")
    for key, value in raw.items():
        if not isinstance(key, str) or not _WORD.match(key):
            raise LexiconError(f"lexicon: maps.{where} has a key that is not a lower-case "
                               f"word: {key!r}")
        ok = (isinstance(value, int) and not isinstance(value, bool) and value > 0
              if kind == "number" else isinstance(value, str) and bool(_VALUE[kind].match(value)))
        if not ok:
            raise LexiconError(f"lexicon: maps.{where}.{key} is not a {kind}: {value!r}")
    return dict(raw)


def parse_lexicon(data: Any) -> Lexicon:
    """Validate a loaded YAML document and return the lexicon it describes."""
    if not isinstance(data, dict):
        raise LexiconError("lexicon: the document must be a mapping")
    expected = {"function_words", "light_verbs", "warehouse_words", "features", "sets", "maps"}
    if set(data) != expected:
        raise LexiconError(f"lexicon: expected exactly the keys {sorted(expected)}, "
                           f"got {sorted(data)}")
    feats = data["features"]
    if not isinstance(feats, dict) or set(feats) != set(FEATURES):
        raise LexiconError(f"lexicon: features must have exactly {list(FEATURES)}")
    features = {f: _words(feats[f], f"features.{f}") for f in FEATURES}
    sets = data["sets"]
    if not isinstance(sets, dict) or set(sets) != set(SETS):
        raise LexiconError(f"lexicon: sets must have exactly {list(SETS)}")
    maps = data["maps"]
    if not isinstance(maps, dict) or set(maps) != set(MAPS):
        raise LexiconError(f"lexicon: maps must have exactly {sorted(MAPS)}")
    lex = Lexicon(_words(data["function_words"], "function_words"),
                  _words(data["light_verbs"], "light_verbs"),
                  _words(data["warehouse_words"], "warehouse_words"), features,
                  {k: _words(sets[k], f"sets.{k}") for k in SETS},
                  {k: _mapping(maps[k], k, kind) for k, kind in MAPS.items()})
    # A feature word must not also be contentless, or the feature would never be checked.
    clash = sorted(set().union(*features.values()) & (lex.light_verbs | lex.warehouse_words))
    if clash:
        raise LexiconError(f"lexicon: feature words also listed as content-free: {clash[:5]}")
    return lex


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    text = resources.files("nl2sql.models.planner").joinpath("lexicon.yaml").read_text("utf-8")
    return parse_lexicon(yaml.safe_load(text))
