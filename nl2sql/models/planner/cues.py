"""General English cue words of the question parser (``parse``): aggregates,
comparatives, superlatives, grouping and negation words. Data only; nothing here
names a dataset, table or column."""

from __future__ import annotations

from dataclasses import dataclass

from nl2sql.models.planner.words import TIME_UNITS, Tok, wordset

AGG_WORDS = {
    "average": "AVG", "avg": "AVG", "mean": "AVG", "total": "SUM", "sum": "SUM",
    "minimum": "MIN", "min": "MIN", "lowest": "MIN", "smallest": "MIN",
    "maximum": "MAX", "max": "MAX", "highest": "MAX", "largest": "MAX", "biggest": "MAX",
    "greatest": "MAX", "median": "MEDIAN",
}  # fmt: skip
AVERAGE_WORDS = frozenset({"average", "avg", "mean"})
SUPERLATIVE_AGGS = frozenset({"lowest", "smallest", "highest", "largest", "biggest", "greatest"})
DISTINCT_WORDS = frozenset({"distinct", "different", "unique"})
PCT_WORDS = frozenset({"percentage", "percent", "%", "share", "proportion", "fraction"})
GROUP_WORDS = frozenset({"by", "per", "each", "every", "across"})
COMMON_WORDS = frozenset({"common", "popular", "frequent", "used", "ordered", "sold", "bought"})
# Superlatives of how common a thing is: "the rarest breed" is the least common one.
COMMON_SUPERLATIVES = {"rarest": False, "commonest": True}
# Verbs and nouns saying that a ranking is by money ("spent the most", "the most money").
MONEY_VERBS = frozenset({"spend", "spends", "spent", "spending", "pay", "pays", "paid",
                         "paying", "earn", "earns", "earned", "earning", "charge", "charges",
                         "charged"})
MONEY_NOUNS = frozenset({"money"})
# "his or her dogs", "he or she": one person of either sex, not two alternatives.
PRONOUN_PAIRS = frozenset({("his", "her"), ("he", "she"), ("him", "her"), ("her", "his"),
                           ("she", "he")})
# Superlatives about a row: (kind of column, descending?)
ROW_SUPERLATIVES = {
    "cheapest": ("price", False), "priciest": ("price", True), "oldest": ("age", True),
    "youngest": ("age", False), "newest": ("time", True), "latest": ("time", True),
    "earliest": ("time", False), "longest": ("length", True), "shortest": ("length", False),
    "heaviest": ("weight", True), "lightest": ("weight", False), "tallest": ("height", True),
}  # fmt: skip
COMPARATIVES = {
    ("more", "than"): ">", ("greater", "than"): ">", ("higher", "than"): ">",
    ("larger", "than"): ">", ("over",): ">", ("above",): ">", ("at", "least"): ">=",
    ("less", "than"): "<", ("fewer", "than"): "<", ("lower", "than"): "<",
    ("smaller", "than"): "<", ("under",): "<", ("below",): "<", ("at", "most"): "<=",
    ("older", "than"): ">", ("younger", "than"): "<", ("cheaper", "than"): "<",
    ("more", "expensive", "than"): ">", ("equal", "to"): "=", ("longer", "than"): ">",
    ("shorter", "than"): "<", ("heavier", "than"): ">", ("lighter", "than"): "<",
    # only before a count (``comparative``): "exactly one order", "only 2 visits"
    ("exactly",): "=", ("only",): "=", ("just",): "=",
}  # fmt: skip
_BEFORE_A_COUNT = frozenset({"exactly", "only", "just"})
# Words saying which quantity equals the number after them ("teachers aged 32").
EQUAL_WORDS = frozenset({"aged"})
COMPARATIVE_HINTS = {"aged": "age", "older": "age", "younger": "age", "cheaper": "price",
                     "expensive": "price", "cost": "price", "costs": "price", "priced": "price",
                     "longer": "length", "shorter": "length", "heavier": "weight",
                     "lighter": "weight"}
UNIT_HINTS = {"old": "age", "dollar": "price", "dollars": "price", "usd": "price",
              "euro": "price", "euros": "price", "eur": "price", "pounds": "price",
              "km": "length", "miles": "length", "kg": "weight", "kgs": "weight"}
OR_MORE = {"more": ">=", "greater": ">=", "higher": ">=", "above": ">=", "over": ">=",
           "fewer": "<=", "less": "<=", "lower": "<=", "below": "<=", "under": "<="}
# "2014 or after", "after or in 2014": the bound, said as the word YEAR_OPS reads it
YEAR_OR = {"after": "since", "later": "since", "since": "since", "before": "until",
           "earlier": "until"}
YEAR_OPS = {"since": ">=", "from": ">=", "after": ">", "before": "<", "until": "<=",
            "till": "<=", "through": "<="}  # fmt: skip
ELLIPSIS_STARTS = wordset(
    "and also only just now same but then ok okay so what_about how_about in for by per from "
    "among excluding without with except not"
)
PASS_WORDS = frozenset({"broken", "down", "grouped", "split", "breakdown", "respectively"})
NEGATIONS = frozenset({"not", "no", "excluding", "except", "without", "non"})
# "never" denies an event, never a value: it only ever reads as a set condition (sets.py).
NEVER = frozenset({"never", "nobody"})  # "which courses has nobody enrolled in"
# Verbs that only relate a thing to other rows ("users who placed orders", "dogs that went
# through treatments"); a verb that says more ("cancelled", "returned") is not here, so
# "users who never cancelled an order" is never read as "users without orders".
RELATING_VERBS = wordset(
    "have has had having place places placed make makes made do does did done get gets got "
    "gotten go goes went gone undergo undergoes underwent undergone receive receives "
    "received take takes took taken buy buys bought purchase purchases purchased order "
    "orders ordered book books booked own owns owned hold holds held attend attends attended "
    "visit visits visited enrol enrols enroll enrolls enrolled register registers registered "
    "teach teaches taught write writes wrote written sign signs signed play plays played "
    "perform performs performed treat treats treated request requests requested arrange "
    "arranges arranged assign assigns assigned rent rents rented borrow borrows borrowed "
    "submit submits submitted publish publishes published direct directs directed "
    "contain contains contained include includes included be been being is are was were "
    "use uses used employ employs employed operate operates operated"
)
# Small words that may sit between an entity, its negation and the related rows.
RELATION_PARTICLES = wordset(
    "a an any anything anyone some single the that who which whose they it through with "
    "to in on for from at all yet ever so far even currently"
)


@dataclass(frozen=True)
class Relative:
    """A date relative to today: ``unit`` offset by ``offset`` (last year: YEAR, -1)."""

    unit: str
    offset: int


def weekday_words(toks: list[Tok], i: int) -> int | None:
    """``day of the week``, ``day of week``, ``weekday``, ``weekdays``: how many words say
    the day of the week (not "each day": a date; not "weekday orders": a filter)."""
    lows = [t.low for t in toks[i:i + 4]]
    if lows[:4] == ["day", "of", "the", "week"]:
        return 4
    if lows[:3] == ["day", "of", "week"]:
        return 3
    prev = toks[i - 1].low if i > 0 else ""
    if lows[:1] in (["weekday"], ["weekdays"]) and prev in ("per", "each", "by", "every",
                                                              "which", "what"):
        return 1
    return None


def relative(toks: list[Tok], i: int) -> tuple[int, str, str, Relative] | None:
    """``last year``, ``this month``, ``past 30 days``, ``today``: (width, part, op, when)."""
    w = toks[i].low
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if w in ("today", "yesterday"):
        return 1, "DATE", "=", Relative("DAY", 0 if w == "today" else -1)
    if nxt is None or w not in ("last", "past", "previous", "this", "current"):
        return None
    unit = TIME_UNITS.get(nxt.stem)
    if unit in ("YEAR", "MONTH") and nxt.stem == nxt.low:
        offset = 0 if w in ("this", "current") else -1
        return 2, unit if unit == "YEAR" else "MONTH_START", "=", Relative(unit, offset)
    if (w in ("last", "past") and isinstance(nxt.number, int) and 0 < nxt.number < 1000
            and i + 2 < len(toks)):
        unit = TIME_UNITS.get(toks[i + 2].stem)
        if unit in ("DAY", "WEEK", "MONTH", "YEAR"):
            return 3, "DATE", ">=", Relative(unit, -nxt.number)
    return None


def is_year(t: Tok) -> bool:
    return isinstance(t.number, int) and len(t.raw) == 4 and 1900 <= t.number <= 2100


QUESTION_CUES = frozenset({"what", "which", "who", "how", "list", "show", "give", "tell", "find"})


def comparative(toks: list[Tok], i: int) -> tuple[str, int] | None:
    for words, op in _COMPARATIVES_BY_FIRST.get(toks[i].low, ()) if i < len(toks) else ():
        if tuple(t.low for t in toks[i:i + len(words)]) == words:
            if words[0] in _BEFORE_A_COUNT and (
                    i + 1 >= len(toks) or toks[i + 1].number is None or is_year(toks[i + 1])):
                return None  # "what exactly is ...", "only 2024 orders": a filler
            return op, len(words)
    return None


def _by_first_word() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """The comparatives under their first word, longest first, so "at least" wins over
    "at": built once, as the scanner asks at every word."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, op in sorted(COMPARATIVES.items(), key=lambda kv: -len(kv[0])):
        out.setdefault(words[0], []).append((words, op))
    return out


_COMPARATIVES_BY_FIRST = _by_first_word()


def equal_list(toks: list[Tok], i: int) -> tuple[int, list[int | float]] | None:
    """``aged 32``, ``aged either 32 or 33``: (the index after, the numbers), for a word
    that says which quantity equals the numbers (``EQUAL_WORDS``)."""
    if toks[i].low not in EQUAL_WORDS:
        return None
    k = i + 1 + (i + 1 < len(toks) and toks[i + 1].low == "either")
    numbers: list[int | float] = []
    while k < len(toks) and (number := toks[k].number) is not None and not toks[k].quoted:
        numbers.append(number)
        if k + 2 < len(toks) and toks[k + 1].low == "or" and toks[k + 2].number is not None:
            k += 2
            continue
        k += 1
        break
    return (k, numbers) if numbers else None


def versus(toks: list[Tok], i: int, width: int) -> tuple[str | None, int] | None:
    """``above (the overall) average`` after the comparative at ``i``: a comparison with an
    aggregate; (the quantity's hint, the index after "average")."""
    k = i + width
    while k < len(toks) and toks[k].low in ("the", "an", "overall", "whole"):
        k += 1
    if k >= len(toks) or toks[k].low not in AVERAGE_WORDS:
        return None
    near = [toks[j].low for j in (i, i + 1, i - 1) if 0 <= j < len(toks)]
    return next((COMPARATIVE_HINTS[w] for w in near if w in COMPARATIVE_HINTS), None), k + 1
