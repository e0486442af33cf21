"""Question + catalog -> Plan (or the reason there is none).

1. Parse the question into phrases with roles (``parse``).
2. Choose the subject table: what is counted or measured, or the table named.
3. Read every phrase against the subject and the tables its keys reach (``match``).
4. Turn the readings into a plan: measures, groups, filters, a ranking (``build``).

``understand`` also says what is still missing: tables to describe and words to
look up as values; the planner fetches those before it builds SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nl2sql.models.planner import averages, durations, outputs, periods, ranges, sorting
from nl2sql.models.planner import parse as P
from nl2sql.models.planner.abbrev import read_names
from nl2sql.models.planner.agents import read_agents
from nl2sql.models.planner.build import Unanswerable, build_plan
from nl2sql.models.planner.catalog import Catalog, Table
from nl2sql.models.planner.counted import common_wanted
from nl2sql.models.planner.creation import creation_words
from nl2sql.models.planner.exploring import (
    ASKING,
    first_tables,
    missing,
    unique,
)
from nl2sql.models.planner.fanout import modifier_across_many
from nl2sql.models.planner.fixedcounts import count_fixed_rows
from nl2sql.models.planner.frequency import times_as_rows
from nl2sql.models.planner.joins import direct, joined_and_related, reach, target_of
from nl2sql.models.planner.keyroles import direction_words
from nl2sql.models.planner.match import Matcher, Reading
from nl2sql.models.planner.metrics import (
    join_metric,
    metric_tables,
    named_metric,
    rule_conflict,
    with_metric,
)
from nl2sql.models.planner.moneyrows import money_wanted
from nl2sql.models.planner.plan import Plan
from nl2sql.models.planner.semijoin import listed_once
from nl2sql.models.planner.sets import related_tables, wanted
from nl2sql.models.planner.spans import chunk_spans
from nl2sql.models.planner.spelling import correct
from nl2sql.models.planner.terms import alias_notes, spell_acronyms
from nl2sql.models.planner.valuelist import values_once
from nl2sql.models.planner.words import (
    Tok,
    expand,
)


@dataclass
class Understanding:
    plan: Plan | None = None
    problem: str | None = None  # why there is no plan
    subject: Table | None = None
    mentioned: list[Table] = field(default_factory=list)  # tables the words name
    missing: list[Table] = field(default_factory=list)  # tables worth describing next
    lookup: list[str] = field(default_factory=list)  # phrases to look up as values
    lookup_stems: list[str] = field(default_factory=list)  # proper words: values they start
    lookup_tables: list[Table] = field(default_factory=list)
    parsed: P.Parse | None = None  # the question as read, for the audit
    readings: list[Reading] = field(default_factory=list)
    followup: bool = False  # the plan extends an earlier question's
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (said, read as)


def understand(question: str, catalog: Catalog, previous: list[str] | None = None,
               *, lists: bool = True) -> Understanding:
    """Everything the planner knows about ``question`` given ``catalog``.

    ``previous`` are earlier questions of the conversation, oldest first; an
    elliptical follow-up ("and in 2023?") inherits the latest one's plan.
    """
    previous = previous or []
    listed = outputs.read(question) if lists else None  # "... (product id and revenue)"
    if listed is not None:
        shown: list[str] = []  # why the list is no columns of the answer, if it is not
        u = _apart(listed.rest, catalog, previous, lambda plan, _: _noted(
            outputs.apply(plan, listed, catalog), shown))
        # "(Jeans and Dresses)": no columns but values, read with the rest as usual
        return u if not shown else understand(question, catalog, previous, lists=False)
    ranged = ranges.read(question)  # "from Nov 29 to Dec 2 2024": planned as "in 2024"
    if isinstance(ranged, str):
        return Understanding(problem=ranged)
    if ranged is not None:
        return _apart(ranged.rest, catalog, previous, lambda plan, _: ranges.apply(plan, ranged),
                      (ranged.said, ranged.reading))
    compared = periods.read(question)  # "2024 vs 2023", "month-over-month": read apart
    if compared is None and previous and P.parse(question).elliptical:
        before = periods.read(previous[-1])  # "and by category?" keeps the periods compared
        if isinstance(before, periods.Reading):
            compared = periods.Reading(question, before.spec)
            previous = previous[:-1] + [before.rest]
    if isinstance(compared, str):
        return Understanding(problem=compared)
    if compared is not None:
        u = understand(compared.rest, catalog, previous)
        said = periods.counted(compared.rest, u.plan) if u.plan is not None else None
        if said is not None:
            u = understand(said, catalog, previous)
        problem = periods.link(u.plan, compared.spec) if u.plan is not None else None
        if problem is not None:
            u.plan, u.problem = None, problem
        return u
    direction = sorting.read(question)  # "..., highest first"
    if direction is not None:
        return _apart(direction.rest, catalog, previous,
                      lambda plan, _: sorting.apply(plan, direction))
    span = durations.read(question)  # "average days between placed and delivered"
    if isinstance(span, str):
        return Understanding(problem=span)
    if span is not None:
        held = durations.with_rows(span, catalog)  # the table both events are columns of
        if isinstance(held, list):
            return Understanding(missing=held, problem=None if held else
                                 f"I could not tell whose '{span.said}' the question asks about")
        return _apart(held.rest, catalog, previous, lambda plan, _: durations.apply(plan, held))
    qualified = averages.read(question)  # "..., counting customers who ordered at least once"
    if qualified is not None:
        return _apart(qualified.rest, catalog, previous,
                      lambda plan, u: averages.apply(plan, qualified, u.parsed),
                      averages.notes(qualified))
    context: Understanding | None = None
    if previous and P.parse(question).elliptical:
        context = understand(previous[-1], catalog, previous[:-1])
    u = _understand_one(question, catalog, context.plan if context else None)
    if context is not None:
        u.mentioned = unique(context.mentioned + u.mentioned)
        u.missing = unique(context.missing + u.missing)
        if u.plan is None and context.plan is None and context.problem and not u.problem:
            u.problem = context.problem
    return u


def _noted(problem: str | None, into: list[str]) -> str | None:
    if problem is not None:
        into.append(problem)
    return problem


def _apart(rest: str, catalog: Catalog, previous: list[str],
           apply: Callable[[Plan, Understanding], str | None],
           note: tuple[str, str] | None = None) -> Understanding:
    """A question with one part read apart (a date range, an order, a duration...): the
    rest planned as usual, then the part applied to its plan (``apply``: why it cannot be,
    or None); ``note`` says how the part was read."""
    u = understand(rest, catalog, previous)
    problem = apply(u.plan, u) if u.plan is not None else None
    if problem is not None:
        u.plan, u.problem = None, problem
    if note is not None:
        u.corrections.append(note)
    return u


def _understand_one(question: str, catalog: Catalog, context: Plan | None) -> Understanding:
    question, corrections = correct(expand(question), catalog)
    question, agents = read_agents(question, catalog)  # agents.py: 'directors' (Directed_by)
    corrections += agents
    question, spelled = spell_acronyms(question, catalog)  # terms.py: 'US' -> 'United States'
    corrections += spelled
    question, often = times_as_rows(question, catalog)  # frequency.py: "ordered twice"
    corrections += often
    corrections += read_names(question, catalog)  # abbrev.py: 'bns' read as 'bonuses'
    metric, question = named_metric(question, catalog)  # metrics.py
    if metric is not None:
        held = [catalog.table(metric.table), *metric_tables(metric, catalog)]  # metrics.py
        if any(t is None or t.columns is None for t in held):
            return Understanding(missing=[t for t in held if t is not None and t.columns is None],
                                 problem=None if all(held) else
                                 f"the metric {metric.name} names a table I cannot see")
    fetched = catalog.fetched()
    parsed = P.parse(question, chunk_spans(P.parse(question).toks, fetched))
    _measured_before_group(parsed, Matcher(question, catalog, fetched, None))
    u = Understanding()
    # Tables first: the names in the words, before columns are known.
    bare = Matcher(question, catalog, [], None)
    readings0 = [bare.read(p) for p in parsed.phrases]
    u.mentioned = unique([p.table for r in readings0 for p in r.of("table")
                           if p.table is not None and not p.by_description]
                          + [p.table for r in readings0 for p in r.of("table")
                             if p.table is not None])
    if context is not None:  # a follow-up keeps the subject unless it names another table
        named = [p.table for r in readings0 for p in r.of("table") if not p.by_description]
        subject = named[0] if named else context.subject
    else:
        subject = _subject(parsed, readings0, catalog, question)
    if metric is not None:
        subject = catalog.table(metric.table)  # what the metric is computed over
    u.subject = subject
    if subject is None or subject.columns is None:
        u.missing = first_tables(u.mentioned, catalog, P.parse(question).toks)
        if not u.missing:
            wide = Matcher(question, catalog, fetched, None)
            unknown = [t.raw for p in parsed.phrases for t in wide.read(p).unexplained(None)]
            u.problem = (f"I found no table, column or value for {_quoted(unknown)}" if unknown
                         else "none of its words name a table, column or value I can see")
        return u
    joins = direct(catalog, subject)
    scope = reach(catalog, subject)
    matcher = Matcher(question, catalog, scope, subject)
    readings: list[Reading] = []
    near: Table | None = None
    for phrase in parsed.phrases:
        readings.append(matcher.read(phrase, near if phrase.role == P.CONTEXT else None))
        tables = [p.table for p in readings[-1].of("table") if not p.by_description]
        near = tables[-1] if tables else None
    unexplained = [t for r in readings for t in r.unexplained(subject)]
    dated = bool(parsed.years or parsed.months or parsed.relative or parsed.time_units
                 or any(r.of("time") for r in readings))
    undated = dated and not any(c.temporal for c in subject.columns or [])
    u.missing = missing(catalog, subject, u.mentioned, unexplained, undated)
    u.missing = u.missing or wanted(parsed, readings, catalog, subject)  # related rows (sets.py)
    u.missing = u.missing or common_wanted(parsed, readings, catalog, subject)  # counted.py
    u.missing = u.missing or money_wanted(parsed.toks, catalog, subject)  # moneyrows.py
    u.lookup = _lookup_phrases(question, readings, subject)
    u.lookup_stems = [t.low for r in readings for t in r.unresolved
                      if t.cap and len(t.low) >= 5 and t.number is None][:4]
    u.lookup_tables = scope + [t for t in related_tables(parsed, catalog, subject)  # sets.py
                               if t not in scope]
    try:
        plan = build_plan(parsed, readings, subject, joins, catalog, context)
    except Unanswerable as e:
        u.problem = str(e)
        return u
    count_fixed_rows(plan)  # fixedcounts.py: "how many F grades": rows, not 1 grade
    listed_once(plan, readings, parsed.toks)  # semijoin.py: filtered through many rows
    values_once(plan, readings, parsed.toks)  # valuelist.py: "which medications": each value once
    if metric is not None:
        u.problem = with_metric(plan, metric) or join_metric(  # metrics.py: its declared joins
            plan, metric, catalog) or rule_conflict(plan, metric)
        if u.problem is not None:
            return u
    plan.accounted |= direction_words(plan, parsed.toks)  # "departing": the role key taken
    plan.accounted |= creation_words(plan, parsed.toks)  # "new users signed up in 2024"
    both = joined_and_related(plan) or modifier_across_many(plan, readings)  # fanout.py
    if both is not None:
        u.problem = both
        return u
    u.plan = plan
    u.parsed, u.readings, u.followup = parsed, readings, context is not None
    u.corrections = corrections + [n for n in alias_notes(question, plan, catalog)  # terms.py
                                   if n not in corrections]
    return u


# Quantities that are averaged, not added up, when a question names one without saying how.
NON_ADDITIVE = frozenset({"age", "rating", "score", "rate", "percent", "percentage", "ratio",
                          "average", "mean", "price"})


def _measured_before_group(parsed: P.Parse, wide: Matcher) -> None:
    """``Revenue by category``, ``What is the headcount per department?``: a quantity
    the question starts with, before a grouping or defined by a description ("Revenue
    is SUM(sale_price)"), is what is measured; turn its phrase into a measure."""
    for k, phrase in enumerate(parsed.phrases[:1]):
        after = parsed.phrases[k + 1] if k + 1 < len(parsed.phrases) else None
        defines = [t for t in wide.scope if phrase.toks[-1].stem in t.defined]
        if phrase.role not in (P.CONTEXT, P.WHICH) or not (
                defines or (after is not None and after.role == P.GROUP)):
            continue
        if any(t.low not in ASKING for t in parsed.toks[:phrase.toks[0].i]):
            continue  # only a quantity the question starts with, or asks for
        grouped = wide.read(after).pieces if after is not None else []
        owner = next((p.column.table for p in grouped if p.column is not None), None)
        scope = sorted(wide.scope, key=lambda t: t.id != owner)  # price: of what is grouped
        reading = Matcher(wide.question, wide.catalog, scope, None).read(phrase)
        col = reading.pieces[0].column if len(reading.pieces) == 1 else None
        if (col is None or reading.pieces[0].kind != "column" or reading.unresolved
                or not col.numeric or col.is_key):
            continue
        phrase.role = P.MEASURE
        table = wide.catalog.table(col.table)
        defined = table.defined.get(phrase.toks[-1].stem) if table is not None else None
        said = defined[0] if defined and defined[1].lower() == col.name.lower() else None
        said_words = {t.stem for t in phrase.toks}  # "sales" are added up, a "price" averaged
        phrase.aggs = [said or ("AVG" if said_words & NON_ADDITIVE else "SUM")]


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(words))


# -- the subject -------------------------------------------------------------------


def _subject(parsed: P.Parse, readings: list[Reading], catalog: Catalog,
             question: str) -> Table | None:
    def table_of(roles: tuple[str, ...]) -> Table | None:
        for r in readings:
            if r.phrase.role in roles:
                for piece in r.of("table"):
                    return piece.table
        return None

    strong = (table_of((P.COUNT, P.PCT_BASE, P.RANK_MEASURE))
              or table_of((P.OF,)) or table_of((P.MEASURE, P.ROW_RANK, P.WHICH)))
    if strong is not None:
        return _holder(strong, readings, catalog) or strong
    # No table named as the thing counted: the table holding the measured column.
    fetched = catalog.fetched()
    mentioned = [p.table for r in readings for p in r.of("table") if p.table is not None]
    scope = sorted(fetched, key=lambda t: (t not in mentioned, 0))
    wide = Matcher(question, catalog, scope, None)
    for roles in ((P.MEASURE, P.RANK_MEASURE), (P.COUNT, P.PCT_BASE), (P.ROW_RANK,)):
        for phrase in parsed.roles(*roles):
            piece = wide.read(phrase).first("column")
            if piece is not None:
                return piece.table
    if mentioned:
        return mentioned[0]
    for phrase in parsed.roles(P.GROUP, P.RANK_GROUP, P.WHICH, P.CONTEXT, P.COUNT, P.PCT_BASE):
        reading = wide.read(phrase)
        piece = reading.first("column") or reading.first("value")
        if piece is not None:
            return piece.table
    return None


def _holder(counted: Table, readings: list[Reading], catalog: Catalog) -> Table | None:
    """``How many users placed orders?``: a later-named table whose key points at the
    counted one holds the facts; count distinct keys there."""
    seen = False
    for r in readings:
        if r.phrase.role == P.COUNT and any(p.table is counted for p in r.of("table")):
            seen = True
            continue
        if not seen or r.phrase.role != P.CONTEXT or r.phrase.related:
            continue  # "users who never ordered": a set condition (sets.py), not the facts
        for p in r.of("table"):
            other = p.table
            if (other is not None and other is not counted and not p.by_description
                    and any(target_of(catalog, other, c) is counted
                            for c in other.columns or [])):
                return other
    return None


# -- lookups -----------------------------------------------------------------------


def _lookup_phrases(question: str, readings: list[Reading], subject: Table) -> list[str]:
    """Runs of unplaced words (and their sub-runs), as typed, to search for as values."""
    out: list[str] = []
    for r in readings:
        words = [t for t in r.unresolved if t.number is None or t.quoted]
        runs: list[list[Tok]] = []
        for t in words:
            if runs and runs[-1][-1].i == t.i - 1:
                runs[-1].append(t)
            else:
                runs.append([t])
        for run in runs:
            for a in range(len(run)):
                for b in range(min(len(run), a + 4), a, -1):
                    text = (run[a].raw if run[a].quoted and b == a + 1
                            else question[run[a].start:run[b - 1].end]).lower()
                    if text not in out and (b - a > 1 or run[a].stem not in subject.words):
                        out.append(text)
    return out[:24]
