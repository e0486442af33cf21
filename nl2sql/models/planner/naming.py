"""Columns a question names without saying their whole name (``match`` asks these last,
when no column's name ends with the words said).

- ``department`` for ``DeptName`` (the name of one), ``fare`` for ``fare_amt``, ``revenue``
  where a description says "Revenue is SUM(sale_price)" (``named_column``);
- ``arriving date`` for ``date_arrived`` (``reordered_column``);
- ``hired`` for ``hire_dt``: the event a date column records, said as a verb
  (``event_column``);
- ``cost`` for ``cost_of_treatment`` in Treatments: a name less its table's own words
  (``own_column``);
- ``the cost``, ``the amount of money`` for the one money column of the table meant
  (``money_column``).

Each answers only where one column fits: two that fit equally are no answer (the
question is then declined naming the words, never read as one of them by chance).
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import LABEL_WORDS, Catalog, Column, Table
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.words import root

_SETS = lexicon().sets
# Last words of a numeric column's name that only say it holds a quantity (fare_amt).
AMOUNT_WORDS = _SETS["amount_words"]
# Last words of a column's name that only say how a thing is written down: "email" is
# email_address, "cell" cell_number, "zip" zip_code.
REFERENCE_WORDS = _SETS["reference_words"]
# Words of a column's name that say it holds money; words a question uses for money.
MONEY_COLUMNS = _SETS["money_columns"]
MONEY_WORDS = _SETS["money_words"]

Found = tuple[tuple[object, ...], Table, Column]  # (preference key, table, column)


def named_column(words: tuple[str, ...], scope: list[Table], subject: Table | None,
                 catalog: Catalog) -> Found | None:
    """Columns a word means without being their name: ``department`` for ``DeptName``,
    ``fare`` for ``fare_amt``, ``revenue`` where a description defines it."""
    best: Found | None = None
    tables = {t.words for t in catalog.tables.values()}
    for rank_t, table in enumerate(scope):
        for col in table.columns or []:
            named = col.words[-1:][0] in LABEL_WORDS if col.words else False
            labelled = len(col.words) > 1 and col.words[:-1] == words and (
                (named and col.text and words != table.words)
                or (col.words[-1] in AMOUNT_WORDS and col.numeric and not col.is_key)
                or (col.words[-1] in REFERENCE_WORDS and not col.is_key
                    and words not in tables))  # breed_code, where a table is Breeds
            defined = len(words) == 1 and table.defined.get(words[0], ("", ""))[1].lower(
            ) == col.name.lower()
            if labelled or defined:
                key = (int(table is subject), int(defined), int(named), -rank_t, col.name)
                if best is None or key > best[0]:
                    best = (key, table, col)
    return best


def reordered_column(words: tuple[str, ...], scope: list[Table],
                     subject: Table | None) -> Found | None:
    """``arriving date`` for ``date_arrived``: the same words, in another order or
    another form of the verb; only where exactly one column says them."""
    said = sorted(root(w) for w in words)
    found = [(table, col) for table in scope for col in table.columns or []
             if sorted(root(w) for w in col.words) == said]
    if len({(t.id, c.name) for t, c in found}) != 1:
        return None
    table, col = found[0]
    return (int(table is subject),), table, col


# Last words of a temporal column's name that only say it holds when something happened.
DATE_WORDS = frozenset({"date", "time", "timestamp", "datetime", "at", "on"})


def event_column(words: tuple[str, ...], scope: list[Table],
                 subject: Table | None) -> Found | None:
    """``hired`` for ``hire_dt``, ``shipped`` for ``ship_date``: the one date column (the
    subject's first) whose name is the event a verb says happened, and a date word:
    the verb's own form or its past (-ed). ``match`` never asks with a plural noun
    ("hires" are rows, not a date)."""
    if len(words) != 1:
        return None
    said = words[0]
    found = [(table, col) for table in scope for col in table.columns or []
             if col.temporal and len(col.words) == 2 and col.words[1] in DATE_WORDS
             and (said == col.words[0] or (said.endswith("ed") and _same_verb(said, col.words[0])))]
    return _one(found, subject)


#: Words that start a date after a verb: "shipped in 2024", "returned during March".
_DATE_STARTS = frozenset({"in", "on", "during", "between", "since", "before", "after",
                          "until", "last", "this", "within"})


def event_dated(word: str, after: list[str], table: Table) -> bool:
    """``shipped in 2024`` where ``table`` records when it shipped (``shipped_at``): the
    verb says when the event happened, so it reads as that date column, not as the
    status value of the same name (what the row's status is now)."""
    if not after or after[0] not in _DATE_STARTS:
        return False
    return any(col.temporal and col.words == (word,) for col in table.columns or []) or (
        event_column((word,), [table], table) is not None)


def _same_verb(past: str, word: str) -> bool:
    """``hired``/``hire``, ``shipped``/``ship``, ``opened``/``open``."""
    base = past[:-2]
    return word in (base, base + "e") or (len(base) > 3 and base[-1] == base[-2]
                                           and word == base[:-1])


#: First words of a column's name that say which of several values it keeps.
_EXTREMES = frozenset({"min", "minimum", "max", "maximum", "avg", "average", "mean",
                       "median", "lowest", "highest", "prev", "previous"})


def unsaid_extreme(name: tuple[str, ...], said: tuple[str, ...]) -> bool:
    """``min_order_amt`` for "order amount": the name keeps a minimum the words leave
    unsaid, so it is not the column asked for."""
    return any(w in _EXTREMES and w not in said for w in name[:max(len(name) - len(said), 0)])


def own_column(words: tuple[str, ...], scope: list[Table],
               subject: Table | None) -> Found | None:
    """``cost`` for ``cost_of_treatment`` in Treatments, ``price`` for ``price_of_book`` in
    Books: the column's name less the words of its own table's name. The subject's column
    first; elsewhere only where one table has such a column."""
    found = [(table, col) for table in scope for col in table.columns or []
             if not col.is_key and len(col.words) > len(words)
             and tuple(w for w in col.words if w not in table.words) == words]
    return _one(found, subject)


def money_column(words: tuple[str, ...], scope: list[Table], subject: Table | None,
                 qualifies: object) -> Found | None:
    """``the cost``, ``the amount of money``, ``invoice amount``: the numeric column of
    the table meant (the one the words name, else the subject) whose name says money
    (charge_amount, cost_of_treatment, Total_spent), when it has exactly one."""
    k = len(words)
    while k > 0 and words[k - 1] in MONEY_WORDS:
        k -= 1
    qual, said = words[:k], words[k:]
    if not said:
        return None
    if qual:
        tables = [t for t in scope if qualifies(qual, t)]  # type: ignore[operator]
    else:
        tables = [subject] if subject is not None and subject in scope else []
    if len(tables) != 1:
        return None
    table = tables[0]
    money = [c for c in table.columns or [] if c.numeric and not c.is_key
             and set(c.words) & MONEY_COLUMNS and not unsaid_extreme(c.words, words)]
    if len(money) != 1:
        return None
    return (int(table is subject),), table, money[0]


def _one(found: list[tuple[Table, Column]], subject: Table | None) -> Found | None:
    own = [(t, c) for t, c in found if t is subject]
    pick = own if own else found
    if len(pick) != 1:
        return None
    table, col = pick[0]
    return (int(table is subject),), table, col


def qualified_amount(words: tuple[str, ...], scope: list[Table],
                     subject: Table | None) -> Found | None:
    """``salary`` for ``ann_sal_amt``, ``fare`` for ``base_fare_amount``: the last words of a
    numeric name before its amount word, a qualifier in front left unsaid; only where one
    column (the subject's first) fits, so ``min_sal_amt`` beside ``max_sal_amt`` is no
    answer."""
    n = len(words)
    found = [(table, col) for table in scope for col in table.columns or []
             if col.numeric and not col.is_key and len(col.words) > n + 1
             and col.words[-1] in AMOUNT_WORDS and col.words[-n - 1:-1] == words]
    if any(unsaid_extreme(col.words[:-1], words) for table, col in found
           if table is subject or subject is None):
        return None  # "order amount" of min_order_amt: a minimum the words leave unsaid
    return _one(found, subject)
