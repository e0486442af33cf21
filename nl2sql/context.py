"""Dataset context files: what a warehouse cannot say about a dataset itself.

``schemas/datasets/<dataset>.md`` holds a description (its first paragraph) and
notes for the model (business definitions, join paths). DuckDB cannot comment
on a schema, and even BigQuery descriptions rarely say how revenue is defined,
so the tools fill these in where the warehouse has nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nl2sql.schemas import schema_path


@dataclass(frozen=True)
class DatasetContext:
    description: str
    notes: str


@cache
def dataset_context(dataset_id: str) -> DatasetContext | None:
    """The context file of ``dataset_id``, if there is one."""
    if not dataset_id or "/" in dataset_id or dataset_id.startswith("."):
        return None
    path = schema_path(f"datasets/{dataset_id}.md")
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8").strip()
    description, _, notes = text.partition("\n\n")
    return DatasetContext(" ".join(description.split()), notes.strip())
