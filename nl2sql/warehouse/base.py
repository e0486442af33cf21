"""The Warehouse interface and the metadata/result types every warehouse returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ColumnInfo:
    name: str
    type: str
    mode: str = "NULLABLE"  # NULLABLE | REQUIRED | REPEATED
    description: str | None = None
    examples: list[str] | None = None  # a few values of low-cardinality text columns
    references: str | None = None  # a declared foreign key: ``dataset.table.column``

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.mode != "NULLABLE":
            d["mode"] = self.mode
        if self.description:
            d["description"] = self.description
        if self.examples:
            d["examples"] = self.examples
        if self.references:
            d["references"] = self.references
        return d


@dataclass
class DatasetInfo:
    id: str
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"dataset_id": self.id, "description": self.description or ""}


@dataclass
class TableInfo:
    """``id`` is ``dataset.table``; ``columns`` is filled by ``get_table`` only."""

    id: str
    description: str | None = None
    row_count: int | None = None
    columns: list[ColumnInfo] = field(default_factory=list)
    partitioning: str | None = None
    clustering: list[str] | None = None
    require_partition_filter: bool = False

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"table_id": self.id, "description": self.description or ""}
        if self.row_count is not None:
            d["row_count"] = self.row_count
        if self.columns:
            d["columns"] = [c.to_dict() for c in self.columns]
        if self.partitioning:
            d["partitioning"] = self.partitioning
        if self.require_partition_filter:
            d["require_partition_filter"] = True
        if self.clustering:
            d["clustering"] = self.clustering
        return d


@dataclass
class QueryResult:
    """Rows are JSON-safe lists. ``total_rows`` is None when the cap cut them and
    the engine could not tell how many there were."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    seconds: float
    total_rows: int | None = None
    bytes_processed: int | None = None
    bytes_billed: int | None = None
    job_id: str | None = None
    cache_hit: bool | None = None
    location: str | None = None  # where the job ran (BigQuery), to find it again
    #: why rows were cut: "rows" (the row cap), "bytes" (the result's size cap)
    #: or "cell" (long values were shortened); None when nothing was cut
    truncated_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "columns": self.columns,
            "rows": self.rows,
            "row_count": len(self.rows),
            "truncated": self.truncated,
        }
        if self.truncated:
            d["truncated_reason"] = self.truncated_reason or "rows"
        if self.total_rows is not None:
            d["total_rows"] = self.total_rows
        d.update(self.job_facts())
        return d

    def job_facts(self) -> dict[str, Any]:
        """What the engine reported about the job (BigQuery), only where known."""
        facts = {"bytes_processed": self.bytes_processed, "bytes_billed": self.bytes_billed,
                 "job_id": self.job_id, "cache_hit": self.cache_hit, "location": self.location}
        return {k: v for k, v in facts.items() if v is not None}


@dataclass
class ExportedRows:
    """A finished job's whole result, read page by page (``rows`` is lazy)."""

    columns: list[str]
    rows: Iterator[list[Any]]
    row_count: int
    truncated: bool


class Warehouse(ABC):
    """What the agent needs from a warehouse. SQL given to ``query`` is GoogleSQL
    that has already passed the safety gate; implementations still add their
    own layers (read-only connections, dry runs, byte caps)."""

    kind: str = "warehouse"
    #: project that project-qualified names must match (BigQuery); None elsewhere
    project: str | None = None
    #: a query's whole result stays readable after it ran (BigQuery's destination
    #: table, 24 hours): queries are capped at the export cap and only the preview
    #: is fetched, so an export reads the same job instead of running it again
    keeps_results: bool = False

    @abstractmethod
    def list_datasets(self) -> list[DatasetInfo]: ...

    @abstractmethod
    def list_tables(self, dataset_id: str) -> list[TableInfo]: ...

    @abstractmethod
    def get_table(self, table_id: str) -> TableInfo: ...

    @abstractmethod
    def query(self, sql: str, *, max_rows: int, timeout_s: float,
              labels: dict[str, str] | None = None) -> QueryResult: ...

    def export_rows(self, job: dict[str, Any], max_rows: int) -> ExportedRows | None:
        """The whole result of the job described by ``job`` (an answer's ``job`` facts),
        or None when it is not kept (any more): the caller runs the SQL again."""
        return None

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""
