"""Reusing a verified query: the same question, asked again, runs the SQL an analyst checked.

The planner asks ``search_verified_queries`` (the declared function Gemini is
told to call) alongside ``list_datasets``. A match is reused only when its
question is the *same question* as the user's after normalisation: lower case,
punctuation, contractions and politeness dropped ("Could you show me ..."),
singular nouns, number words as digits, and a few fixed rewordings ("how many"
= "number of", "for each" = "each"). Every other word must be there, in the
same order: a different number, year, value, negation, measure or grouping word
is a different question, and reusing SQL for it would be a confident wrong
answer. The search's own ``same_question`` flag (a fuzzy ratio of 92) is only
a hint: "orders in 2023" and "orders in 2024" pass it.

Only pairs over a dataset ``list_datasets`` showed are reused, and not when two
matching pairs disagree on the SQL. The SQL still goes through ``sql_query``
and the gate; when it fails, the planner plans the question itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from nl2sql.interpretation import Interpretation, interpret_sql
from nl2sql.models.planner.words import NUMBER_WORDS, stem, wordset
from nl2sql.presentation.numbers import format_cell, two_decimals

SEARCH = "search_verified_queries"
#: call-id prefixes: the search, and the run of a reused pair's SQL
SEARCH_ID = "verified_search"
VERIFIED_ID = "verified"
SHOWN_ROWS = 5  # rows an answer sentence names before "..."

# Words that change how a question is put, never what it asks: articles, auxiliaries,
# pronouns, relative pronouns and request verbs. Negations, prepositions, numbers and
# every content word are kept.
NEUTRAL = wordset(
    "a an the is are was were be been being am our my your their its we us me i you please "
    "show tell give list what which who whom that do does did can could would will shall let "
    "kindly there here get find display see have has had")

# Fixed rewordings, applied in order to the lower-cased text.
_REWRITES = (
    (re.compile(r"\bi(?:'d| would) like to (?:know|see|get)\b"
                r"|\bi (?:want|need|wish) to (?:know|see|get)\b"), ""),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b|\bcannot\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'(?:re|ve|ll|d|m)\b"), ""),  # we're, I've, we'll, I'd, I'm
    (re.compile(r"\b(what|that|there|here|who)'s\b"), r"\1 is"),
    (re.compile(r"\b(?:how many|count of|total number of)\b"), "number of"),
    (re.compile(r"\bfor (?:each|every)\b|\bevery\b"), "each"),
    (re.compile(r"\bpercent\b"), "%"),
)
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
                    r"|[^\W\d_]+(?:'[^\W\d_]+)?|%")


def canonical(question: str) -> tuple[str, ...]:
    """The words a question asks with, in order.

    >>> canonical("Could you show me how many orders were placed for each year?")
    ('number', 'of', 'order', 'placed', 'each', 'year')
    >>> canonical("What's the revenue in 2,024 for five stores that aren't closed?")
    ('revenue', 'in', '2024', 'for', '5', 'store', 'not', 'closed')
    """
    text = question.lower().replace("’", "'")
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    out: list[str] = []
    for raw in _TOKEN.findall(text):
        if raw[0].isdigit():
            number = float(raw.replace(",", ""))
            out.append(str(int(number)) if number.is_integer() else str(number))
        elif raw in NUMBER_WORDS:
            out.append(str(NUMBER_WORDS[raw]))
        elif raw.replace("'", "") not in NEUTRAL:
            out.append(stem(raw))
    return tuple(out)


def same_question(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` ask the same thing in other words (see module docstring)."""
    ca = canonical(a)
    return bool(ca) and ca == canonical(b)


@dataclass(frozen=True)
class Reuse:
    """A verified pair the planner runs as the answer."""

    id: str
    question: str
    sql: str
    dataset: str
    source: str  # file | analyst | cli | report
    verified_by: str

    def origin(self) -> str:
        """Who vouches for the pair, in words."""
        by = f" by {self.verified_by}" if self.verified_by else ""
        if self.source == "file":
            return f"from the definitions file of {self.dataset}"
        if self.source == "report":
            return f"the pinned SQL of report {self.id.partition(':')[2] or self.id}"
        if self.source == "cli":
            return f"added{by} with nl2sql verified add"
        return f"verified{by}"

    def note(self) -> str:
        return (f'reused verified query {self.id} ("{self.question}", {self.origin()})')


def pick(question: str, output: Any, datasets: set[str]) -> Reuse | None:
    """The one match of a ``search_verified_queries`` output to reuse for ``question``."""
    matches = output.get("matches") if isinstance(output, dict) else None
    found: list[Reuse] = []
    for m in matches or []:
        if not isinstance(m, dict) or not isinstance(m.get("sql"), str):
            continue
        if str(m.get("dataset_id", "")).lower() not in datasets:
            continue  # a pair over another warehouse's dataset
        if same_question(question, str(m.get("question", ""))):
            found.append(Reuse(str(m.get("id") or "?"), str(m["question"]), m["sql"],
                               str(m.get("dataset_id")), str(m.get("source") or ""),
                               str(m.get("verified_by") or "")))
    if len({" ".join(r.sql.split()).lower() for r in found}) != 1:
        return None  # none, or verified pairs that disagree: plan it afresh
    return found[0]


def reuse_text(reuse: Reuse, columns: list[str], rows: list[list[Any]],
               truncated: bool) -> str:
    """The answer: the rows in brief, then which verified query gave them."""
    fixed = [two_decimals(r[i] for r in rows if i < len(r)) for i in range(len(columns))]

    def cells(row: list[Any]) -> list[str]:  # the page's formatting, per column
        return [format_cell(v, columns[i] if i < len(columns) else "",
                            fixed=i < len(fixed) and fixed[i]) for i, v in enumerate(row)]

    if not rows:
        body = "The query returned no rows."
    elif len(rows) == 1:
        shown = cells(rows[0])
        body = "The answer is " + (", ".join(
            f"{c} {v}" for c, v in zip(columns, shown, strict=False))
            if len(shown) > 1 else "".join(shown)) + "."
    else:
        more = "more than " if truncated else ""
        listed = "; ".join(", ".join(cells(r)) for r in rows[:SHOWN_ROWS])
        tail = "; ..." if len(rows) > SHOWN_ROWS or truncated else ""
        body = (f"The query returned {more}{len(rows)} rows ({', '.join(columns)}): "
                f"{listed}{tail}.")
    return (f'{body}\n\nI reused a verified query for this question: "{reuse.question}" '
            f"({reuse.id}, {reuse.origin()}).")


def reuse_interpretation(reuse: Reuse) -> Interpretation:
    """The SQL's reading, saying first that it is a verified query reused."""
    read = interpret_sql(reuse.sql)
    note = reuse.note()
    return replace(read, rules=(note, *read.rules),
                   summary=f"{note[0].upper()}{note[1:]}. {read.summary}")
