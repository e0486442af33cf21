"""What the gate enforces (``Policy``) and what it hands back (``CheckedSQL``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nl2sql.config import Settings

#: Longest SQL text the gate will read. Model output of this size is a runaway
#: generation, not analysis, and parsing cost grows with length.
MAX_SQL_CHARS = 100_000


@dataclass(frozen=True)
class Policy:
    """Limits for one warehouse.

    ``allowed_datasets`` empty means any dataset. Dataset names are compared
    exactly (BigQuery datasets are case-sensitive, so ``Sales`` and ``sales``
    can be two datasets). ``project`` is the only project a three-part name
    (``project.dataset.table``) may name; when it is None (DuckDB has no
    projects) every project-qualified name is rejected.

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
    def from_settings(cls, settings: Settings, project: str | None = None) -> Policy:
        """Build from the service's settings and the warehouse's project."""
        return cls(frozenset(settings.allowed_datasets), project, settings.max_rows)

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
