"""Questions asking when: "When did the episode 'Pilot' air?", "When was the last report
released?" ask for the value of a row's date column, not for a count of rows.

The date column is the subject's one date-like column (a DATE or TIMESTAMP, or text or a
number named ...date, ...time, ...year) that a word of the question names ("air" names
``air_date``); when no word names one, only a column that is the row's own date (its
other words are the table's name: ``transcript_date`` on transcripts, or just ``date``)
answers "when was it released?". Anything else is left alone, so the audit declines
("the question asks when, and no column I found says it"). "The last/first <subject>"
picks the row with the latest or earliest date. A function of the builder
(``build._Builder``).
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner.catalog import Column, label_columns
from nl2sql.models.planner.words import Tok, root, stem

# The builder (build._Builder) passed in; not imported, so the modules form no cycle.
_Builder = Any

_DATE_WORDS = frozenset({"date", "time", "year", "day", "datetime", "timestamp"})
# "the last transcript": the row with the latest date (True: descending)
_WHICH_END = {"last": True, "latest": True, "newest": True, "first": False, "earliest": False}


def when_asked(b: _Builder) -> None:
    """Show the date column the question asks for, on the rows it describes."""
    toks: list[Tok] = b.parsed.toks
    plan = b.plan
    first_to(b, toks)
    if _asks_year(toks):
        _year_verb(b, toks)
    if (not toks or toks[0].low != "when" or plan.measures or plan.order_column is not None
            or any(g.unit is not None or g.entity is not None for g in plan.groups)):
        return  # "When ... per month": buckets of dates, not a row's date
    col, naming = _date_column(b, toks)
    shown = plan.rows + [g.column for g in plan.groups]
    if col is None or (shown and all(c is not col for c in shown)):
        return  # "When ...? List the date and details": the date must be among them
    if shown:  # listed columns, one row each; the date last, as a ranking shows it
        plan.rows, plan.groups = [c for c in shown if c is not col] + [col], []
    else:
        labels = label_columns(b.s)
        plan.rows = [c for c in labels if c is not col] + [b.use(col)]
    plan.accounted |= naming | _last_verb(b, toks)
    end = _which_end(b, toks)
    if end is not None:
        at, desc = end
        plan.order_column, plan.desc, plan.limit = col, desc, 1
        plan.explicit_order = True
        plan.accounted.add(at)


def first_to(b: _Builder, toks: list[Tok]) -> None:
    """"the first student to register": the row with the earliest date of the column the
    verb names (``date_first_registered``); no such column, or two, leaves the words to
    the audit."""
    plan = b.plan
    if plan.measures or plan.order_column is not None or any(
            g.unit is not None or g.entity is not None for g in plan.groups):
        return
    subject = _subject_tokens(b)
    for k in range(len(toks) - 3):
        end = _WHICH_END.get(toks[k].low)
        at = k + 4 if toks[k + 3].low == "be" and k + 4 < len(toks) else k + 3  # "to be hired"
        if (end is None or toks[k + 1].i not in subject or toks[k + 2].low != "to"
                or toks[at].cap or toks[at].quoted):
            continue
        verb = toks[at]
        cols = [c for c in b.s.columns or [] if _dated(c) and not c.is_key
                and any(root(w) == root(verb.low) for w in c.words)]
        if len(cols) != 1:
            return
        # the columns asked for ("List the first name and last name") are shown on it
        plan.rows = plan.rows or [g.column for g in plan.groups] or list(label_columns(b.s))
        plan.groups = []
        if all(c is not cols[0] for c in plan.rows):
            plan.rows.append(b.use(cols[0]))
        plan.order_column, plan.desc, plan.limit = cols[0], end, 1
        plan.explicit_order = True
        plan.accounted |= {t.i for t in toks[k:at + 1] if t.i not in subject}
        return


def _subject_tokens(b: _Builder) -> set[int]:
    return {t.i for r in b.readings for p in r.pieces if p.kind == "table"
            and p.table is b.s for t in r.phrase.toks[p.start:p.end]}


def _asks_year(toks: list[Tok]) -> bool:
    """"In which year ...", "What year ...": the question asks for a year."""
    lows = [t.low for t in toks[:4]]
    return lows[:2] in (["what", "year"], ["which", "year"]) or (
        lows[:1] == ["in"] and lows[1:3] in (["what", "year"], ["which", "year"]))


def _year_verb(b: _Builder, toks: list[Tok]) -> None:
    """"In which year did the museum open?": the year column shown is the one the closing
    verb names (``open_year``), so the verb is accounted for; any other verb is left to
    the audit."""
    last = _last_verb(b, toks)
    shown = [c for c in b.plan.rows + [g.column for g in b.plan.groups]
             if c.words and c.words[-1] == "year"]
    if last and len(shown) == 1 and any(
            _says(toks[i].low, w) for i in last for w in _roots(shown[0])):
        b.plan.accounted |= last


def _roots(c: Column) -> set[str]:
    return {stem(w) for w in c.words} - _DATE_WORDS


def _dated(c: Column) -> bool:
    return c.temporal or bool(c.words and c.words[-1] in _DATE_WORDS)


def _date_column(b: _Builder, toks: list[Tok]) -> tuple[Column | None, set[int]]:
    """The asked date column and the tokens naming it."""
    dated = [c for c in b.s.columns or [] if _dated(c) and not c.is_key]
    named: list[tuple[Column, set[int]]] = []
    for c in dated:
        own = _roots(c) - {stem(w) for w in b.s.words}
        hits = {t.i for t in toks[1:] for w in own if _says(t.low, w)}
        if hits:
            named.append((c, hits))
    if named:
        return named[0] if len(named) == 1 else (None, set())
    own_date = [c for c in dated if not set(c.words) - _DATE_WORDS - set(b.s.words)]
    if len(dated) == 1 and own_date:
        return dated[0], set()
    return None, set()


# Verbs whose event a column names with another word: "born" -> birth_date
_EVENT_NOUNS = {"born": "birth", "died": "death", "dies": "death", "die": "death"}


def _says(word: str, root: str) -> bool:
    """``hired``, ``airs``, ``aired`` say ``hire``, ``air``: the root and a verb ending."""
    if _EVENT_NOUNS.get(word) == root:
        return True
    base = root[:-1] if root.endswith("e") else root
    return word == root or (len(base) >= 3 and word.startswith(base)
                            and word[len(base):] in ("e", "s", "es", "d", "ed", "ing"))


def _last_verb(b: _Builder, toks: list[Tok]) -> set[int]:
    """"When was it released?": the closing verb is the event the date records. Only a
    lowercase word no piece placed, right before the question mark ("When was it
    released? List its date.") or the end."""
    mark = b.parsed.question.find("?")
    words = [t for t in toks if mark < 0 or t.end <= mark]
    if len(words) < 3:
        return set()
    last = words[-1]
    placed = {t.i for r in b.readings for p in r.pieces
              for t in r.phrase.toks[p.start:p.end]}
    if last.cap or last.quoted or last.number is not None or last.i in placed:
        return set()
    return {last.i}


def _which_end(b: _Builder, toks: list[Tok]) -> tuple[int, bool] | None:
    """"the last transcript": (the word's index, descending) when the word stands right
    before a name of the subject table."""
    subject = _subject_tokens(b)
    for k, t in enumerate(toks[:-1]):
        if t.low in _WHICH_END and toks[k + 1].i in subject:
            return t.i, _WHICH_END[t.low]
    return None
