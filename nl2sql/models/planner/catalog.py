"""What the planner has learnt so far, read back from the conversation.

The planner is stateless: every turn it re-reads the history since the latest
user question (a *round*) and rebuilds the catalog from the tool responses:
datasets, tables, table metadata, and values found by its own lookup queries.
Keys between tables are inferred from names (``x_id`` -> table ``x``/``xs``; the
graph in ``keys``), and from the planner's own bounded probe of which key a key-like
column's values fall in (``PROBE_ID`` queries, read back as ``value_keys``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nl2sql.models.planner.knowledge import (
    Dimension,
    Metric,
    dimensions_from,
    entity_synonyms,
    metrics_from,
    opaque_terms,
)
from nl2sql.models.planner.rounds import (  # noqa: F401 - read from here by the planner
    LOOKUP_ID,
    MIN_PROBED_VALUES,
    PROBE_ID,
    QUERY_ID,
    REPAIR_ID,
    Exchange,
    Round,
    read_round,
)
from nl2sql.models.planner.words import (
    description_nouns,
    is_key_name,
    name_words,
    split_name,
    stem,
    table_words,
    text_words,
)

NUMERIC_TYPES = frozenset({"INT64", "INTEGER", "FLOAT64", "FLOAT", "NUMERIC", "BIGNUMERIC",
                           "DECIMAL", "BIGDECIMAL", "INT", "SMALLINT", "BIGINT", "DOUBLE"})
TEMPORAL_TYPES = frozenset({"TIMESTAMP", "DATE", "DATETIME"})
LABEL_WORDS = ("name", "title", "label")
_NULL_WHEN = re.compile(r"`?(\w+)`?\s+is\s+NULL\s+(?:while|when|if|until|for)\s+([^.;]+)",
                        re.IGNORECASE)
_DEFINED = re.compile(r"\b(\w+)\s+(?:is|=|means|equals)\s+(?:the\s+)?(SUM|AVG|MIN|MAX)\s*"
                      r"\(\s*`?(\w+)`?\s*\)", re.IGNORECASE)

_GLUED_KEY = re.compile(r"([A-Z]{2,})(ID|KEY)")



@dataclass
class Column:
    name: str
    type: str
    table: str  # table id, dataset.table
    description: str = ""
    examples: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # declared keys: dataset.table.column it holds

    def __post_init__(self) -> None:
        # REGIONID: region's id, in capitals (PAID, VALID as flags are not keys)
        glued = None if self.boolean else _GLUED_KEY.fullmatch(self.name)
        self.words = name_words(f"{glued[1]}_{glued[2]}" if glued else self.name)
        self.written = self.words  # as named; abbrev.py reads shortenings per question
        parts = split_name(self.name)
        self.is_key = is_key_name(parts) or glued is not None

    @property
    def numeric(self) -> bool:
        return self.type.upper() in NUMERIC_TYPES

    @property
    def temporal(self) -> bool:
        return self.type.upper() in TEMPORAL_TYPES

    @property
    def text(self) -> bool:
        return self.type.upper() == "STRING"

    @property
    def boolean(self) -> bool:
        return self.type.upper() in ("BOOL", "BOOLEAN")


@dataclass
class Table:
    id: str
    description: str = ""
    row_count: int | None = None
    columns: list[Column] | None = None  # None until get_table answered

    def __post_init__(self) -> None:
        self.dataset, _, self.name = self.id.rpartition(".")
        self.words = table_words(self.name)
        self.written = self.words  # as named; abbrev.py reads shortenings per question
        self.desc_words = description_nouns(self.description, self.words)
        # "Revenue is SUM(sale_price)": words the description defines as a column's total
        self.defined = {stem(w): (f.upper(), c) for w, f, c in _DEFINED.findall(self.description)}
        # "sold_at is NULL while the unit is in stock": the clause's last word ("stock")
        # means the column is empty
        self.null_when = [(c, frozenset(list(text_words(when.split()[-1]) - set(self.words))))
                          for c, when in _NULL_WHEN.findall(self.description) if when.split()]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns or [] if c.name.lower() == name.lower()), None)


@dataclass(frozen=True)
class Join:
    """``source.fk = target.key``: many-to-one, or one-to-many when ``many`` (walked
    backwards along a key, so each source row meets several target rows)."""

    source: Table
    fk: Column
    target: Table
    key: Column
    many: bool = False


@dataclass(frozen=True)
class Found:
    """A value a lookup query found in a column."""

    table: str
    column: str
    value: str
    rows: int


@dataclass
class Catalog:
    datasets: list[tuple[str, str]] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    found: list[Found] = field(default_factory=list)
    listed: set[str] = field(default_factory=set)  # datasets whose tables were listed
    failed_tables: set[str] = field(default_factory=set)
    metrics: list[Metric] = field(default_factory=list)  # defined by the datasets
    notes: list[str] = field(default_factory=list)  # the datasets' business notes
    opaque: list[str] = field(default_factory=list)  # metrics defined as whole queries
    dimensions: list[Dimension] = field(default_factory=list)  # synonyms, value aliases
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # table id -> other names
    # (table id, column) -> (table id, key column), lower case: every value of the column
    # lies in that one table's key, and in no other candidate's (probed, PROBE_ID)
    value_keys: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    probed: set[tuple[str, str]] = field(default_factory=set)  # (column id, key id) asked
    # What joins.py reads off the tables once (own keys, the key graph); a table added
    # or described later clears it.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- building --------------------------------------------------------------

    @classmethod
    def from_round(cls, rnd: Round) -> Catalog:
        cat = cls()
        for e in rnd.exchanges:
            out = e.output
            if e.call.name == "list_datasets" and isinstance(out, dict):
                cat.datasets = [(str(d.get("dataset_id")), str(d.get("description") or ""))
                                for d in out.get("datasets") or []]
            elif e.call.name == "list_tables":
                cat.listed.add(str(e.call.args.get("dataset_id", "")).lower())
                if isinstance(out, dict):
                    for t in out.get("tables") or []:
                        cat._add_table(t)
                    cat.metrics += metrics_from(out)
                    cat.opaque += opaque_terms(out)
                    cat.dimensions += dimensions_from(out)
                    for tid, names in entity_synonyms(out).items():
                        cat.synonyms.setdefault(tid, []).extend(names)
                        if tid in cat.tables:
                            cat._add_table({"table_id": cat.tables[tid].id,
                                            "description": cat.tables[tid].description})
                    if isinstance(out.get("notes"), str):
                        cat.notes.append(out["notes"])
            elif e.call.name == "get_table":
                if isinstance(out, dict) and out.get("table_id"):
                    cat._add_table(out)
                elif not (e.error or "").startswith("not run:"):  # refused calls are retried
                    cat.failed_tables.add(str(e.call.args.get("table_id", "")).lower())
            elif (e.call.name == "sql_query" and (e.call.id or "").startswith(LOOKUP_ID)
                  and isinstance(out, dict)):
                for row in out.get("rows") or []:
                    if len(row) >= 3 and isinstance(row[0], str) and row[1] is not None:
                        table, _, column = row[0].rpartition(".")
                        cat.found.append(Found(table, column, str(row[1]), int(row[2] or 0)))
            elif e.call.name == "sql_query" and (e.call.id or "").startswith(PROBE_ID):
                cat._read_probe(out)
        return cat

    def _read_probe(self, out: Any) -> None:
        """Which key each probed column's values fall in: exactly one candidate key
        holding every sampled value (of at least ``MIN_PROBED_VALUES``) is a key; none,
        or several (small integers every table's ids hold), is none. The probe answers
        one row per pair asked, so each is remembered and never asked again."""
        holding: dict[str, list[str]] = {}
        for row in (out.get("rows") or []) if isinstance(out, dict) else []:
            if len(row) < 4 or not isinstance(row[0], str) or not isinstance(row[1], str):
                continue
            src, dst = row[0].lower(), row[1].lower()
            self.probed.add((src, dst))
            held = holding.setdefault(src, [])
            if int(row[2] or 0) >= MIN_PROBED_VALUES and int(row[3] or 0) == 0:
                held.append(dst)
        for src, held in holding.items():
            if len(held) == 1:
                s_table, _, s_col = src.rpartition(".")
                d_table, _, d_col = held[0].rpartition(".")
                self.value_keys[(s_table, s_col)] = (d_table, d_col)

    def _add_table(self, d: dict[str, Any]) -> None:
        tid = str(d.get("table_id"))
        old = self.tables.get(tid.lower())
        description = str(d.get("description") or "")
        also = [s for s in self.synonyms.get(tid.lower(), []) if s not in description]
        if also:  # what people call the rows, from the dataset's definitions
            description += f" (also called {', '.join(also)})"
        table = Table(tid, description,
                      d.get("row_count") if d.get("row_count") is not None
                      else (old.row_count if old else None))
        if d.get("columns"):
            table.columns = [
                Column(str(c.get("name")), str(c.get("type") or ""), tid,
                       str(c.get("description") or ""),
                       tuple(str(v) for v in c.get("examples") or ()),
                       _references(c.get("references"), tid))
                for c in d["columns"]
            ]
        elif old is not None:
            table.columns = old.columns
        self.tables[tid.lower()] = table
        self.derived.clear()

    # -- queries ---------------------------------------------------------------

    def fetched(self) -> list[Table]:
        return [t for t in self.tables.values() if t.columns is not None]

    def table(self, table_id: str) -> Table | None:
        return self.tables.get(table_id.lower())

    def joins_from(self, table: Table) -> list[Join]:
        """Many-to-one joins along key-like columns (``x_id`` -> ``xs.id``) to described tables."""
        joins: list[Join] = []
        for col in table.columns or []:
            held = self.value_key(table, col)
            if held is not None:
                joins.append(Join(table, col, *held))
                continue
            target = self.fk_target(table, col)
            if target is None or target.columns is None:
                continue
            key = key_column(target, col.name)
            if key is not None:
                joins.append(Join(table, col, target, key))
        return joins

    def value_key(self, table: Table, col: Column) -> tuple[Table, Column] | None:
        """The described table and key a probe found all of ``col``'s values in."""
        held = self.value_keys.get((table.id.lower(), col.name.lower()))
        target = self.table(held[0]) if held is not None else None
        key = target.column(held[1]) if target is not None and held is not None else None
        return (target, key) if target is not None and key is not None else None

    def fk_target(self, table: Table, col: Column) -> Table | None:
        """The table a key-like column points at, by the longest name match."""
        parts = split_name(col.name)
        if len(parts) < 2 or not is_key_name(parts):
            return None
        prefix = col.words
        best: tuple[int, int, str] | None = None
        target: Table | None = None
        for t in self.tables.values():
            if t is table or t.dataset.lower() != table.dataset.lower() or not t.words:
                continue
            n = len(t.words)
            if prefix[-n:] == t.words:
                rank = (n, -len(t.name), t.name)
                if best is None or rank > best:
                    best, target = rank, t
        return target


def _references(declared: Any, table_id: str) -> tuple[str, ...]:
    """A declared key's target as ``dataset.table.column`` (``table.column`` is read
    within the column's own dataset)."""
    refs = [declared] if isinstance(declared, str) else declared or []
    dataset = table_id.rpartition(".")[0]
    return tuple(r if r.count(".") >= 2 else f"{dataset}.{r}" for r in map(str, refs))


def key_column(table: Table, fk_name: str | None = None) -> Column | None:
    """The column other tables point at: ``id``, or ``<table>_id``, or the same name."""
    cols = table.columns or []
    for c in cols:
        if c.name.lower() in ("id", "key"):
            return c
    for c in cols:
        if fk_name and c.name.lower() == fk_name.lower():
            return c
    for c in cols:
        if c.is_key and c.words == table.words:
            return c
    # student_no, course_code: a first column named for the table's rows
    first = cols[0] if cols else None
    if (first is not None and fk_name is not None and len(first.words) == len(table.words) + 1
            and first.words[:-1] == table.words):
        return first
    return None


def label_columns(table: Table) -> list[Column]:
    """Columns that name a row to a person: name/title, else the first text column."""
    cols = table.columns or []
    exact = [c for c in cols if c.name.lower() in LABEL_WORDS]
    if exact:
        return exact[:1]
    named = [c for c in cols if c.words and c.words[-1] in LABEL_WORDS and not c.is_key]
    if named:
        return named[:2]
    text = [c for c in cols if c.text and not c.is_key and not _names_row(c, table)
            and not (c.words and c.words[-1] in _KIND_ENDINGS)]
    return text[:1]


def has_name(table: Table) -> bool:
    """Whether a column names the table's rows (name/title/label); else ``label_columns``
    falls back to a text column many rows may share, and the key must be shown beside it."""
    return any(c.name.lower() in LABEL_WORDS or (not c.is_key and (
        bool(c.words and c.words[-1] in LABEL_WORDS)  # job_ttl read as job title
        or c.name.lower().endswith(LABEL_WORDS)))  # REGIONNAME
        for c in table.columns or [])


# Endings of a text column that sorts rows into kinds many rows share (BikeType, status): a
# row shown by it is not told apart from its neighbours ("Classic", "Classic", ...).
_KIND_ENDINGS = frozenset({"type", "kind", "category", "class", "status", "state", "group",
                           "level", "tier", "gender", "sex", "mode", "flag"})


# Endings of a text key named for its table (dept_cd, AirportCode): it identifies, not names.
_CODE_ENDINGS = ("code", "cd", "no", "num", "nbr", "number")


def _names_row(col: Column, table: Table) -> bool:
    parts = split_name(col.name)
    return (len(parts) > 1 and parts[-1] in _CODE_ENDINGS
            and tuple(stem(p) for p in parts[:-1]) == table.words)


def time_column(table: Table, hint: Column | None = None) -> Column | None:
    """The column a question's dates refer to: the hinted one, else a creation-like one."""
    if hint is not None and hint.temporal:
        return hint
    temporal = [c for c in table.columns or [] if c.temporal]
    for word in ("created", "creation", "date", "time", "timestamp"):
        for c in temporal:
            if word in c.words:
                return c
    return temporal[0] if temporal else None
