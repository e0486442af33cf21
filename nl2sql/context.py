"""Dataset context files: what a warehouse cannot say about a dataset itself.

``schemas/datasets/<dataset>.md`` (or the same name in ``NL2SQL_DATASETS_DIR``,
which takes precedence) holds a description (its first paragraph) and notes for
the model (business definitions, join paths). DuckDB cannot comment
on a schema, and even BigQuery descriptions rarely say how revenue is defined,
so the tools fill these in where the warehouse has nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nl2sql.schemas import dataset_file


@dataclass(frozen=True)
class DatasetContext:
    description: str
    notes: str


@cache
def dataset_context(dataset_id: str, datasets_dir: str = "") -> DatasetContext | None:
    """The context file of ``dataset_id`` (``datasets_dir``'s first), if there is one."""
    path = dataset_file(dataset_id, ".md", datasets_dir)
    if path is None:
        return None
    text = path.read_text(encoding="utf-8").strip()
    description, _, notes = text.partition("\n\n")
    return DatasetContext(" ".join(description.split()), notes.strip())
