"""What the gate enforces (``Policy``) and what it hands back (``CheckedSQL``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nl2sql.config import Settings

#: Longest SQL text the gate will read. Model output of this size is a runaway
#: generation, not analysis, and parsing cost grows with length.
MAX_SQL_CHARS = 20_000
#: Most tokens, syntax-tree nodes and CTEs the gate will check: its cost grows
#: with them (a 59 KB query of 500 CTEs once took 27 s of gate time), and no
#: analyst question needs more.
MAX_SQL_TOKENS = 4_000
MAX_SQL_NODES = 10_000
MAX_CTES = 64


@dataclass(frozen=True)
class Policy:
    """Limits for one warehouse.

    ``allowed_datasets`` empty means any dataset of ``project``. Dataset names
    are compared exactly (BigQuery datasets are case-sensitive, so ``Sales`` and
    ``sales`` can be two datasets). A three-part name (``project.dataset.table``)
    must name ``project`` or an entry written ``project.dataset``; when
    ``project`` is None (DuckDB has no projects) every such name is rejected.

    >>> Policy(allowed_datasets=("thelook_ecommerce",)).allowed_datasets
    frozenset({'thelook_ecommerce'})
    """

    allowed_datasets: frozenset[str] = field(default_factory=frozenset)
    project: str | None = None
    max_rows: int = 1000

    def __post_init__(self) -> None:
        # Accept any iterable (settings hold a tuple) but store a frozenset so
        # the policy stays hashable and membership tests stay cheap.
        if not isinstance(self.allowed_datasets, frozenset):
            object.__setattr__(self, "allowed_datasets", frozenset(self.allowed_datasets))
        if self.max_rows < 1:
            raise ValueError("max_rows must be at least 1")

    @classmethod
    def from_settings(cls, settings: Settings, project: str | None = None, *,
                      max_rows: int | None = None) -> Policy:
        """Build from the service's settings and the warehouse's project
        (``max_rows`` overrides the settings' cap, e.g. for exports)."""
        return cls(frozenset(settings.allowed_datasets), project,
                   settings.max_rows if max_rows is None else max_rows)

    def allows(self, project: str | None, dataset: str) -> bool:
        """May ``project.dataset`` be read? Entries are datasets of ``project``
        (``sales``) or, on BigQuery, of another project (``bigquery-public-data.samples``).

        >>> p = Policy(frozenset({"sales", "bigquery-public-data.samples"}), project="acme")
        >>> p.allows("acme", "sales"), p.allows("bigquery-public-data", "samples")
        (True, True)
        >>> p.allows("acme", "samples"), p.allows("other", "sales")
        (False, False)
        """
        if not self.allowed_datasets:
            return project == self.project  # no allowlist: the home project only
        if project == self.project and dataset in self.allowed_datasets:
            return True
        return project is not None and f"{project}.{dataset}" in self.allowed_datasets

    def foreign_entries(self) -> list[str]:
        """Allowlist entries of other projects (``project.dataset``), sorted."""
        return sorted(e for e in self.allowed_datasets if "." in e)

    def describe_datasets(self) -> str:
        """The allowed datasets as a sentence fragment for error messages."""
        return ", ".join(sorted(self.allowed_datasets)) or "any dataset"


@dataclass(frozen=True)
class CheckedSQL:
    """SQL that passed every check.

    ``sql`` is regenerated from the checked syntax tree (comments dropped), so
    what runs is exactly what was checked. ``row_cap`` is the most rows the
    warehouse keeps; the SQL asks for at most ``row_cap + 1`` so that getting
    one row more than ``row_cap`` tells the warehouse the result was cut.
    """

    sql: str
    tables: tuple[str, ...]
    row_cap: int
