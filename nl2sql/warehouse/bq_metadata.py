"""BigQuery metadata made compact for the model, and the cache that keeps it.

Pure functions turn the client's ``Table`` into a ``TableInfo`` (nested RECORD
fields flattened to ``a.b``, REPEATED marked, GoogleSQL type names, partitioning
and clustering in a few words) and build the one cheap query that finds example
values of low-cardinality text columns.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, Generic, TypeVar

from google.cloud import bigquery

from nl2sql.warehouse.base import ColumnInfo, TableInfo
from nl2sql.warehouse.bq_values import sql_type

EXAMPLE_MAX_DISTINCT = 25  # text columns with at most this many values get examples
EXAMPLE_COUNT = 8
EXAMPLE_MAX_COLUMNS = 20

T = TypeVar("T")


class TTLCache(Generic[T]):
    """A thread-safe dict whose entries expire ``ttl_s`` seconds after they were put."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._data: dict[str, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> T | None:
        """The fresh value for ``key``, or None."""
        with self._lock:
            hit = self._data.get(key)
        if hit is None or self._clock() - hit[0] >= self.ttl_s:
            return None
        return hit[1]

    def peek(self, key: str) -> T | None:
        """The value for ``key`` even when expired (to compare, not to serve)."""
        with self._lock:
            hit = self._data.get(key)
        return hit[1] if hit else None

    def put(self, key: str, value: T) -> T:
        with self._lock:
            self._data[key] = (self._clock(), value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def columns(fields: Iterable[bigquery.SchemaField], prefix: str = "") -> list[ColumnInfo]:
    """Schema fields as columns; a RECORD is listed, then its fields as ``record.field``."""
    out: list[ColumnInfo] = []
    for f in fields:
        name = prefix + f.name
        kind = sql_type(f.field_type)
        if kind == "RANGE" and f.range_element_type is not None:
            kind = f"RANGE<{f.range_element_type.element_type}>"
        out.append(ColumnInfo(name=name, type=kind, mode=(f.mode or "NULLABLE").upper(),
                              description=f.description or None))
        if f.fields:
            out.extend(columns(f.fields, name + "."))
    return out


def partitioning(table: bigquery.Table | bigquery.table.TableListItem) -> str | None:
    """``"DAY on created_at"``, ``"RANGE on id [0, 1000) step 10"``, or None."""
    tp = table.time_partitioning
    if tp is not None:
        if tp.field:
            return f"{tp.type_ or 'DAY'} on {tp.field}"
        return f"{tp.type_ or 'DAY'} on ingestion time (_PARTITIONTIME)"
    rp = getattr(table, "range_partitioning", None)
    if rp is not None and rp.field:
        r = rp.range_
        return f"RANGE on {rp.field} [{r.start}, {r.end}) step {r.interval}"
    return None


def partition_column(table: bigquery.Table) -> str | None:
    """The column a filter must name to prune partitions, or None."""
    if table.time_partitioning is not None:
        return table.time_partitioning.field or "_PARTITIONTIME"
    rp = table.range_partitioning
    return rp.field if rp is not None else None


def table_info(table_id: str, table: bigquery.Table | bigquery.table.TableListItem,
               examples: dict[str, list[str]] | None = None) -> TableInfo:
    """The compact description of one table (columns only from a full ``Table``)."""
    description = getattr(table, "description", None) or None
    kind = (table.table_type or "TABLE").upper()
    if kind != "TABLE":
        description = f"({kind.lower().replace('_', ' ')}) {description or ''}".strip()
    info = TableInfo(
        id=table_id,
        description=description,
        row_count=getattr(table, "num_rows", None),
        partitioning=partitioning(table),
        clustering=list(table.clustering_fields or []) or None,
        require_partition_filter=bool(getattr(table, "require_partition_filter", False)),
    )
    schema = getattr(table, "schema", None)
    if schema:
        info.columns = columns(schema)
        refs = foreign_keys(table)
        for col in info.columns:
            col.examples = (examples or {}).get(col.name)
            col.references = refs.get(col.name)
    return info


def foreign_keys(table: bigquery.Table | bigquery.table.TableListItem) -> dict[str, str]:
    """Declared single-column foreign keys (``table_constraints``, unenforced in
    BigQuery): column -> ``dataset.table.column``."""
    constraints = getattr(table, "table_constraints", None)
    out: dict[str, str] = {}
    for fk in getattr(constraints, "foreign_keys", None) or []:
        refs = fk.column_references or []
        target = fk.referenced_table
        if len(refs) == 1 and target is not None:
            out[refs[0].referencing_column] = (
                f"{target.dataset_id}.{target.table_id}.{refs[0].referenced_column}")
    return out


def example_candidates(table: bigquery.Table) -> list[str]:
    """Top-level, non-repeated STRING columns worth sampling for example values."""
    return [f.name for f in table.schema
            if sql_type(f.field_type) == "STRING" and (f.mode or "NULLABLE") != "REPEATED"
            ][:EXAMPLE_MAX_COLUMNS]


def quote(*parts: str) -> str:
    """A backtick-quoted GoogleSQL path: ``quote('p', 'd', 't')`` → `` `p.d.t` ``."""
    return "`" + ".".join(p.replace("\\", "\\\\").replace("`", "\\`") for p in parts) + "`"


def example_sql(full_table: str, cols: Sequence[str]) -> str:
    """One scan that counts distinct values and finds the top values of each column."""
    selects = ", ".join(
        f"APPROX_COUNT_DISTINCT({quote(c)}) AS n{i}, "
        f"APPROX_TOP_COUNT({quote(c)}, {EXAMPLE_COUNT + 1}) AS t{i}"
        for i, c in enumerate(cols)
    )
    return f"SELECT {selects} FROM {full_table}"


def parse_examples(cols: Sequence[str], row: Any) -> dict[str, list[str]]:
    """Examples per low-cardinality column from the row ``example_sql`` returned.

    APPROX_TOP_COUNT gives ``[{value, count}, ...]``; plain values are accepted too.
    """
    found: dict[str, list[str]] = {}
    for i, col in enumerate(cols):
        distinct, top = row[f"n{i}"], row[f"t{i}"] or []
        if not distinct or distinct > EXAMPLE_MAX_DISTINCT:
            continue
        raw = [t.get("value") if isinstance(t, dict) else t for t in top]
        values = [str(v) for v in raw if v is not None][:EXAMPLE_COUNT]
        if values:
            found[col] = values
    return found


def copy_info(info: TableInfo) -> TableInfo:
    """Cached entries are shared; callers get their own."""
    return replace(info, columns=list(info.columns),
                   clustering=list(info.clustering) if info.clustering else None)
