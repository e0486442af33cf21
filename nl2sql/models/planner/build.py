"""Readings of a question's phrases -> Plan: measures, groups, filters, joins, ranking.

Each phrase's role decides what its pieces become: a counted table gives
``COUNT(*)``, a measured column an aggregate, a grouping phrase a group key
(a column, a time bucket, or an entity reached through a key), values become
filters. Years, months, comparisons, percentages and rankings come last.
A follow-up question's plan is merged into the earlier one (``followup``).
"""

from __future__ import annotations

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.averages import per_own_rows
from nl2sql.models.planner.bare import grouped_by_opening, listed_by_condition
from nl2sql.models.planner.catalog import (
    Catalog,
    Column,
    Join,
    Table,
    key_column,
    label_columns,
    time_column,
)
from nl2sql.models.planner.counted import common_counted, counted_instead
from nl2sql.models.planner.cues import PRONOUN_PAIRS, YEAR_OR, is_year
from nl2sql.models.planner.eachrow import each_row_values
from nl2sql.models.planner.features import (
    DEFAULT_TOP,
    Unanswerable,
    add_value_filters,
    compared_before,
    comparisons,
    dates,
    merge_values,
    percentages,
)
from nl2sql.models.planner.fixedcounts import held_count
from nl2sql.models.planner.followup import merge
from nl2sql.models.planner.joins import direct, prune, route, target_of
from nl2sql.models.planner.listing import as_listing, coordinate, order_phrases, ranked_rows
from nl2sql.models.planner.match import Piece, Reading
from nl2sql.models.planner.modifiers import flag_modifiers
from nl2sql.models.planner.ongoing import ongoing_filters
from nl2sql.models.planner.ownrows import names_own_rows
from nl2sql.models.planner.pairs import coordinate_joined
from nl2sql.models.planner.plan import Filter, GroupKey, Measure, Plan
from nl2sql.models.planner.ranking import fewest_through_join, money, ranked_own_rows, ranking
from nl2sql.models.planner.relations import account
from nl2sql.models.planner.sets import relations
from nl2sql.models.planner.sorting import sort_listing
from nl2sql.models.planner.spans import numbered
from nl2sql.models.planner.substrings import substrings
from nl2sql.models.planner.superlatives import kind_column, named_plural, row_rank, rows_of
from nl2sql.models.planner.unset import unset_filters
from nl2sql.models.planner.versus import versus
from nl2sql.models.planner.whenasked import when_asked
from nl2sql.models.planner.words import NEUTRAL

ROLE_PHRASES = (P.COUNT, P.MEASURE, P.GROUP, P.RANK_GROUP, P.WHICH, P.PCT_BASE,
                P.RANK_MEASURE, P.ROW_RANK)

class _Builder:
    def __init__(self, parsed: P.Parse, readings: list[Reading], subject: Table,
                 joins: list[Join], catalog: Catalog) -> None:
        self.parsed = parsed
        self.readings = readings
        self.said = list(readings)  # every phrase as read, before set conditions take some
        self.s = subject
        self.joins = joins
        self.catalog = catalog
        self.plan = Plan(subject)
        self.time_hint: Column | None = None
        self.value_filters: list[tuple[int, Filter]] = []  # (token index, filter)
        self.rank_measure: Reading | None = None
        self.plan_filters: list[Filter] = []
        self.row_entity = False
        self.consumed: set[int] = set()  # comparisons a set condition read (their index)
        self.dates_used = False  # the dates went into set conditions ("no orders in 2024")

    def join_to(self, table: Table) -> Join | None:
        if table is self.s:
            return None
        path = route(self.catalog, self.s, table, {t.stem for t in self.parsed.toks},
                     {p.table.id for r in self.readings for p in r.pieces if p.table is not None})
        for join in path:
            if any(j.target is join.target and j.fk is not join.fk for j in self.plan.joins):
                raise Unanswerable(f"the question reaches {join.target.name} in two ways "
                                   f"({join.fk.name} and another key); say which one you mean")
            if join not in self.plan.joins:
                self.plan.joins.append(join)
        return path[-1]

    def use(self, col: Column) -> Column:
        table = self.catalog.table(col.table)
        if table is not None:
            self.join_to(table)
        return col

    # -- pieces ----------------------------------------------------------------

    def entity_of(self, r: Reading) -> Table | None:
        """The table a phrase names as a whole (``users``; ``user_id`` said as ``user``)."""
        named = [p for p in r.pieces if p.kind != "value"]
        if len(named) != 1:
            return None
        p = named[0]
        if p.kind == "table":
            return p.table
        if p.kind == "column" and p.column is not None and p.column.is_key and not p.says_id:
            table = self.catalog.table(p.column.table)
            return target_of(self.catalog, table, p.column) if table else None
        return None

    def is_doer(self, r: Reading) -> bool:
        """``by users`` after a verb, or ``by users from Germany``: who did it, not a grouping."""
        entity = self.entity_of(r)
        if entity is None or r.phrase.group_word != "by":
            return False
        narrowed = any(f.column.table == entity.id for _, f in self.value_filters)
        return r.phrase.agent_candidate or narrowed

    def group_key(self, p: Piece) -> GroupKey | None:
        if p.kind == "time":
            col = self.time_column()
            return GroupKey(self.use(col), unit=p.unit) if col is not None else None
        if p.kind == "table" and p.table is not None and p.table is not self.s:
            join = self.join_to(p.table)  # "per user": the users, shown by name
            if join is None:
                return None
            return GroupKey(join.fk, entity=join if label_columns(join.target) else None)
        if p.kind == "column" and p.column is not None:
            if p.column is key_column(self.s) and not p.says_id:
                return None  # "per order" when orders are what is measured
            col = self.use(p.column)
            join = next((j for j in self.joins if j.fk is col), None)
            if join is not None and not p.says_id and label_columns(join.target):
                self.join_to(join.target)  # "each distribution center": its name, not its id
                return GroupKey(col, entity=join)
            return GroupKey(col)
        return None

    def time_column(self) -> Column | None:
        col = time_column(self.s, self.time_hint if self.time_hint and
                          self.time_hint.table == self.s.id else None)
        if col is None and self.time_hint is not None:
            col = self.time_hint
        if col is None:
            for j in self.joins:
                col = time_column(j.target)
                if col is not None:
                    break
        return col

    # -- roles -----------------------------------------------------------------

    def build(self) -> Plan:
        plan = self.plan
        relations(self)  # "never ordered", "more than one order": before values are read
        listed_by_condition(self)  # bare.py: "departments with more than 50 employees"
        coordinate(self.parsed.toks, self.readings)  # before values: "and X" is no filter
        coordinate_joined(self)  # "titles of songs and names of singers" (pairs.py)
        substrings(self)  # "containing the substring 'West'": before values are looked up
        for r in self.readings:
            add_value_filters(self, r)
        for at, numeric, numbers in numbered(self.parsed.toks, self.readings):
            self.value_filters.append((at, Filter(self.use(numeric), "=", numbers)))
        self.described_nulls()
        unset_filters(self)  # "unpaid visits": paid_amount IS NULL (unset.py)
        ongoing_filters(self)  # "current employees": term_dt IS NULL (ongoing.py)
        order_phrases(self.parsed.toks, self.readings)
        for r in self.readings:
            role = r.phrase.role
            if role == P.GROUP and self.is_doer(r):
                continue  # "placed by users from Germany": the doer, not a grouping
            handler = getattr(self, f"role_{role}", None)
            if handler is not None:
                handler(r)
            if role == P.COUNT and all(t.low in NEUTRAL for t in r.phrase.toks):
                continue  # "how many rows (are in t_1)": the subject's rows
            if role in ROLE_PHRASES and not (r.of("table") or r.of("column") or r.of("time")
                                             or r.of("value")):
                words = " ".join(t.raw for t in r.phrase.toks)
                raise Unanswerable(f"I could not tell what '{words}' refers to")
        self.average_per_group()
        per_own_rows(self)  # averages.py: "average items per order" on orders
        owned = {g.column.table for g in plan.groups if g.entity is None}
        plan.groups = [g for g in plan.groups  # "by users in each country": country only
                       if g.entity is None or g.entity.target.id not in owned]
        for unit in self.parsed.time_units:
            col = self.time_column()
            if col is not None and not any(g.unit == unit for g in plan.groups):
                plan.groups.append(GroupKey(self.use(col), unit=unit))
        dates(self)
        comparisons(self)
        grouped_by_opening(self)  # bare.py: "countries with more than 500 users"
        versus(self)  # "above the average"
        percentages(self)
        ranking(self)
        money(self)  # "spent the most": a sum of money, never a count
        ranked_own_rows(self)  # "the name of the customer with the highest age": a row
        fewest_through_join(self)  # "the fewest orders": not only among those with some
        when_asked(self)  # "When did the episode X air?": its date, not a count
        if self.row_entity and not plan.measures and not plan.rows and not plan.groups:
            self._list_rows()
        ranked_rows(plan, self.parsed)
        if plan.rows and (plan.measures or plan.groups):
            # rows of a table or an aggregate, not both: the aggregate was asked for
            ranked = plan.order_column is None
            plan.rows, plan.order_column = [], None
            if not ranked:
                plan.desc = plan.limit = None
        each_row_values(plan, self.parsed, self.readings)  # eachrow.py: "grade of each pupil"
        as_listing(plan, self.parsed, self.readings)
        sort_listing(plan, self.parsed, self.readings)  # sorting.py: "sorted by price"
        if plan.groups and not plan.explicit_measures and any(
                getattr(c, "op", "") in ("<", "<=") for c in plan.conditions):
            # "at most 2 orders. List their names": a count per name answers nothing, and a
            # list leaves unsaid whether those with none are meant
            raise Unanswerable("I cannot tell whether the rows with no related rows are "
                               "meant by the upper bound, and I would be counting rows")
        if not plan.measures and not plan.rows:
            plan.measures.append(Measure("COUNT"))
        plan.measures = [m for i, m in enumerate(plan.measures) if m not in plan.measures[:i]]
        in_measures = {f.key for m in plan.measures for f in m.condition}
        plan.filters = merge_values([f for _, f in sorted(self.value_filters, key=lambda x: x[0])
                                      if f.key not in in_measures])
        plan.filters += [f for f in self.plan_filters]
        dated = {f.column.name for f in plan.filters if f.part is not None}
        plan.filters = [f for f in plan.filters  # "sold in 2022" says "sold" already
                        if not (f.op == "IS NOT NULL" and f.column.name in dated)]
        _prune_joins(plan, self.catalog, self.parsed)
        account(self)  # verbs naming the key path the plan reads; pairs (relations.py)
        toks = self.parsed.toks
        plan.accounted |= {t.i for k, t in enumerate(toks[1:-1], 1) if t.low == "or" and (
            (toks[k - 1].low, toks[k + 1].low) in PRONOUN_PAIRS  # "his or her"
            or (is_year(toks[k - 1]) and toks[k + 1].low in YEAR_OR  # "2014 or after"
                and (k + 2 >= len(toks) or toks[k + 2].number is None))
            or (toks[k - 1].low in YEAR_OR and k + 2 < len(toks) and is_year(toks[k + 2])))}
        plan.accounted |= {t.i for k, t in enumerate(toks[2:], 2) if t.low in YEAR_OR
                           and toks[k - 1].low == "or" and is_year(toks[k - 2])
                           and (k + 1 >= len(toks) or toks[k + 1].number is None)}  # "or later"
        for r in self.readings:
            for t in r.unexplained(self.s):
                (plan.unknown_values if t.cap or t.quoted else plan.ignored).append(t.raw)
        return plan

    def described_nulls(self) -> None:
        """``still in stock`` where the description says "sold_at is NULL while the unit is
        in stock": the column is empty."""
        said = {t.stem for t in self.parsed.toks}
        for name, words in self.s.null_when:
            col = self.s.column(name)
            if col is not None and words & said:
                at = min(t.i for t in self.parsed.toks if t.stem in words)
                self.value_filters.append((at, Filter(col, "IS NULL", ())))

    def role_count(self, r: Reading) -> None:
        self.plan.explicit_measures = True
        table = r.first("table")
        col = r.first("column")
        compared = any(compared_before(self, c) is not None and c.after == r.phrase.toks[-1].i + 1
                       for c in self.parsed.comparisons)
        if table is not None and table.table is not None and table.table is not self.s:
            join = self.join_to(table.table)  # "users (who) placed orders": distinct keys
            if join is not None:
                self.plan.measures.append(Measure("COUNT_DISTINCT", join.fk))
                return
        if table is None and col is not None and col.column is not None and not (
                col.column.boolean) and not compared:
            if names_own_rows(col, {t.stem for t in r.phrase.toks[col.start:col.end]},
                              self.s.words):
                # "how many items" on order_items: its rows (ownrows.py)
                self.plan.measures.append(Measure("COUNT"))
                return
            c = self.use(col.column)
            key = key_column(self.s)
            func = "COUNT" if key is not None and c is key else "COUNT_DISTINCT"
            if held_count(c, (t.low for t in self.parsed.toks)):  # fixedcounts.py: obsr_cnt
                func = "SUM"
            self.plan.measures.append(Measure(func, None if func == "COUNT" else c))
        else:
            self.plan.measures.append(Measure("COUNT"))

    def average_per_group(self) -> None:
        """``average number of events per session``: rows per key, averaged over keys."""
        counted = next((p for p in self.parsed.roles(P.COUNT) if "AVG" in p.aggs), None)
        plain = [g for g in self.plan.groups if g.unit is None]
        if counted is None or len(plain) != 1 or len(self.plan.groups) != 1:
            return
        self.plan.measures = [Measure("AVG_COUNT", plain[0].column)]
        self.plan.groups = []

    def role_measure(self, r: Reading) -> None:
        cols = [p for p in r.of("column") if p.column is not None]
        if not cols:
            if r.first("table") is not None:
                self.role_count(r)
                return
            words = " ".join(t.raw for t in r.phrase.toks)
            raise Unanswerable(f"I could not find a column for '{words}'")
        self.plan.explicit_measures = True
        for piece in cols:
            col = self.use(piece.column)  # type: ignore[arg-type]
            for agg in r.phrase.aggs or ["SUM"]:
                if col.temporal and agg in ("SUM", "AVG", "MEDIAN"):
                    # "total items sold": rows whose event happened, dated by it; a sum of
                    # timestamps means nothing
                    self.time_hint = col
                    f = Filter(col, "IS NOT NULL", ())
                    self.value_filters.append((r.phrase.toks[piece.start].i, f))
                    self.plan.measures.append(Measure("COUNT"))
                    continue
                self.plan.measures.append(Measure(agg, col))

    def role_of(self, r: Reading) -> None:
        if not self.plan.measures and r.first("column") is not None and any(
                p.role == P.MEASURE for p in self.parsed.phrases):
            prev = next(p for p in self.parsed.phrases if p.role == P.MEASURE)
            r.phrase.aggs = prev.aggs
            self.role_measure(r)

    def role_pct_base(self, r: Reading) -> None:
        self.plan.explicit_measures = True

    def role_group(self, r: Reading) -> None:
        for p in r.pieces:
            if p.kind != "value":
                key = self.group_key(p)
                if key is not None and key not in self.plan.groups:
                    self.plan.groups.append(key)

    def role_rank_group(self, r: Reading) -> None:
        self.role_group(r)
        self.plan.explicit_order = True
        self.plan.desc = r.phrase.desc
        self.plan.limit = r.phrase.limit or (DEFAULT_TOP if named_plural(r) else 1)

    def role_which(self, r: Reading) -> None:
        table = r.first("table")
        flags = flag_modifiers(r, self.s)  # modifiers.py: "List the electric vans"
        self.value_filters += [(i, Filter(self.use(f.column), f.op, f.values)) for i, f in flags]
        if table is not None and table.table is self.s and (flags or not r.first("column")):
            self.row_entity = True
            return
        self.role_group(r)

    def role_rank_measure(self, r: Reading) -> None:
        self.rank_measure = r
        self.plan.explicit_order = True

    def role_row_rank(self, r: Reading) -> None:
        row_rank(self, r)

    def _kind_column(self, kind: str, tables: list[Table]) -> Column | None:
        return kind_column(kind, tables)

    def _list_rows(self) -> None:
        """``List the distribution centers``: the rows, shown by their labels."""
        labels = label_columns(self.s)
        key = key_column(self.s)
        self.plan.rows = labels or ([key] if key is not None else [])

    def _rows(self, col: Column, desc: bool, limit: int) -> None:
        rows_of(self, col, desc, limit)


def _prune_joins(plan: Plan, catalog: Catalog, parsed: P.Parse) -> None:
    """Joins to what the query reads, and the paths to it (``joins.prune``)."""
    groups = parsed.roles(P.GROUP, P.RANK_GROUP)
    prune(plan, catalog, listed=bool(groups) and all(p.group_word == "each" for p in groups))


def build_plan(parsed: P.Parse, readings: list[Reading], subject: Table, joins: list[Join],
           catalog: Catalog, context: Plan | None) -> Plan:
    if context is not None:
        try:
            own = _Builder(parsed, readings, subject, joins, catalog).build()
        except Unanswerable:
            own = Plan(subject)
        return merge(context, own)
    if not parsed.question_like and not any(r.pieces for r in readings):
        raise Unanswerable("it does not look like a question about the data")
    opening = tuple(t.low for t in parsed.toks[:2])
    if opening[:1] == ("and",) or opening in (("what", "about"), ("how", "about")):
        # "and by site?" with no earlier turn: answering the fragment alone (a count of
        # sites) would answer a question nobody asked
        raise Unanswerable("it reads as a follow-up to an earlier question, and this "
                           "conversation has none; ask the whole question")
    counted = common_counted(parsed, readings, subject, catalog)
    if counted is not None:  # "the most common breed": dogs counted per breed
        subject, joins = counted, direct(catalog, counted)
    counted = counted_instead(parsed, readings, subject, catalog)
    if counted is not None:  # "departments with more than 1000 visits": visits per department
        subject, joins = counted, direct(catalog, counted)
    return _Builder(parsed, readings, subject, joins, catalog).build()
