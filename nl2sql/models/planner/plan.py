"""The planner's reading of a question, as data: what to measure, group, filter, order.

``Plan`` is what ``sqlbuild`` turns into GoogleSQL and ``phrasing`` turns into
words; ``resolve`` fills it from a question and the catalog.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

from nl2sql.models.planner.catalog import Column, Join, Table
from nl2sql.models.planner.knowledge import Metric


@dataclass(frozen=True)
class Filter:
    """``column op values``; ``part`` compares a date part (YEAR, MONTH) instead."""

    column: Column
    op: str  # = != > >= < <=
    values: tuple[object, ...]
    part: str | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.column.table, self.column.name, self.part)


@dataclass(frozen=True)
class Measure:
    """COUNT (column None: rows), COUNT_DISTINCT, AVG, SUM, MIN, MAX, PCT (share of rows
    meeting ``condition``) or SHARE (each group's share of all rows)."""

    func: str
    column: Column | None = None
    condition: tuple[Filter, ...] = ()
    metric: Metric | None = None  # METRIC: a dataset's defined metric (its expression)
    # a time between two columns of a row (durations.py): ``column - since`` in ``unit``
    since: Column | None = None
    unit: str | None = None


@dataclass(frozen=True)
class GroupKey:
    """A plain column, a time bucket of a column (``unit``), or an entity reached by
    a join and shown by its label columns."""

    column: Column
    unit: str | None = None
    entity: Join | None = None


@dataclass(frozen=True)
class Related:
    """A condition on each subject row through the rows of ``via`` whose ``fk`` points at
    the subject's ``key``: how many there are, compared (``op count``: ``= 0`` none,
    ``>= 1`` some, ``> 1`` more than one). ``target`` is the table the question named when
    ``via`` is a bridge to it, and ``counted`` the bridge's key to it (distinct targets
    are counted, not bridge rows). ``filters`` narrow the related rows ("ordered in 2023").
    ``tokens``: the question's words this condition accounts for (sets.py builds it)."""

    via: Table
    fk: Column
    key: Column
    op: str
    count: int
    target: Table | None = None
    counted: Column | None = None
    filters: tuple[Filter, ...] = ()
    tokens: tuple[int, ...] = ()
    # conditions on ``target``'s own columns ("never taught History"): the bridge's rows
    # are joined to the target on ``counted`` inside the subquery
    target_filters: tuple[Filter, ...] = ()


@dataclass(frozen=True)
class Versus:
    """``column op FUNC(column)`` over all rows of the column's table ("priced above the
    average"); ``grouped``: each group's FUNC(column) is compared instead (HAVING)."""

    column: Column
    op: str
    func: str
    grouped: bool = False
    tokens: tuple[int, ...] = ()


@dataclass(frozen=True)
class Period:
    """A calendar year, or one half, quarter or month of it."""

    year: int
    part: str | None = None  # HALF, QUARTER or MONTH
    number: int | None = None

    @property
    def label(self) -> str:
        if self.part == "HALF":
            return f"H{self.number} {self.year}"
        if self.part == "QUARTER":
            return f"Q{self.number} {self.year}"
        if self.part == "MONTH":
            return f"{calendar.month_name[self.number or 0]} {self.year}"
        return str(self.year)

    @property
    def start(self) -> str:
        """Its first day, ISO: ``Q4 2024`` -> ``2024-10-01``."""
        month = {"HALF": 6 * ((self.number or 1) - 1) + 1,
                 "QUARTER": 3 * ((self.number or 1) - 1) + 1, "MONTH": self.number or 1}.get(
            self.part or "", 1)
        return f"{self.year:04d}-{month:02d}-01"


@dataclass(frozen=True)
class Comparison:
    """What the question compares; ``column`` is the time column, once linked."""

    kind: str  # compare | growth | over
    periods: tuple[Period, ...] = ()  # chronological
    unit: str | None = None  # over: the bucket each period is compared with the last of
    column: Column | None = None


@dataclass
class Plan:
    subject: Table
    measures: list[Measure] = field(default_factory=list)
    groups: list[GroupKey] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)
    # Ranking: by the first measure (groups) or by ``order_column`` (rows).
    desc: bool | None = None
    limit: int | None = None
    rows: list[Column] = field(default_factory=list)  # row-level answer: columns to show
    order_column: Column | None = None
    distinct: bool = False  # rows: each different row once ("the different names of ...")
    # rows tied on ``order_column`` follow these first: a listed pair's other side in the
    # order its rows were keyed (relations.py), not by its label's spelling
    ties: list[Column] = field(default_factory=list)
    value_only: bool = False  # a row ranking asked for its ranked value only (ties.py)
    having: list[tuple[str, float | int]] = field(default_factory=list)  # COUNT(*) op n
    # Set conditions and comparisons with an aggregate (sets.py): subqueries in WHERE/HAVING.
    conditions: list[Related | Versus] = field(default_factory=list)
    accounted: set[int] = field(default_factory=set)  # words a feature used ("aged 32")
    # verbs read as the key path between two tables (relations.py): "teach: teacher -> ..."
    relations: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # words that played no part
    unknown_values: list[str] = field(default_factory=list)  # value-like words found nowhere
    # What the question itself said, for follow-ups that only change a part.
    explicit_measures: bool = False
    explicit_order: bool = False
    periods: Comparison | None = None  # a comparison of periods (periods.py)

    @property
    def ranked(self) -> bool:
        return self.desc is not None and self.limit is not None

    def tables(self) -> list[Table]:
        return [self.subject] + [j.target for j in self.joins]

    def join_for(self, table_id: str) -> Join | None:
        return next((j for j in self.joins if j.target.id == table_id), None)
