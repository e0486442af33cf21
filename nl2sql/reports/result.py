"""A run's outcome as a file: written before any delivery, read by every retry.

Deliveries are built from this file alone, never from a live query, so a
destination retried tomorrow receives exactly what the others received today.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from nl2sql.answer import Answer
from nl2sql.csvfile import csv_bytes
from nl2sql.presentation.numbers import format_cell
from nl2sql.presentation.tables import text_table

TABLE_ROWS = 20  # rows shown inline in an email or Slack message; files get them all
CELL_MAX = 24
#: what a run's result takes from the answer it delivers
ANSWER_FIELDS = ("answer", "sql", "columns", "rows", "truncated", "bytes_processed")


@dataclass
class ReportResult:
    report: str
    question: str
    slot: str
    run_id: int
    status: Literal["succeeded", "failed"]
    answer: str = ""
    sql: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False
    bytes_processed: int | None = None
    error: str | None = None
    model: str | None = None  # None when pinned SQL ran without a model
    started_at: str = ""
    finished_at: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    @property
    def slot_stamp(self) -> str:
        """The slot as a file-name-safe stamp: 20250310T080000Z, manual-20250310T081502Z."""
        manual = self.slot.startswith("manual:")
        instant = self.slot.removeprefix("manual:").replace("-", "").replace(":", "")
        return f"manual-{instant}" if manual else instant

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str, indent=1)

    def save(self, path: Path) -> None:
        """Write atomically (temp file, fsync, rename): a reader sees all or nothing."""
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, self.to_json().encode("utf-8"))

    @classmethod
    def from_json(cls, text: str) -> ReportResult:
        return cls(**json.loads(text))

    @classmethod
    def load(cls, path: str | Path) -> ReportResult:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    # -- renderings shared by the destinations --------------------------------------

    def csv_bytes(self) -> bytes:
        # Raw values, not display formatting: the CSV is for spreadsheets, and it
        # goes through the shared writer that keeps cells from running as formulas.
        return csv_bytes(self.columns, self.rows)

    def summary(self) -> str:
        """One line under the answer: how much data there was."""
        if not self.ok:
            return f"The run failed: {self.error}"
        if not self.columns:
            return "No query ran."
        n = len(self.rows)
        more = " (more rows were cut off)" if self.truncated else ""
        return f"{n} row{'s' if n != 1 else ''}{more}."

    def text_table(self, limit: int = TABLE_ROWS, rest_in: str | None = None) -> str:
        """A monospace table of the first ``limit`` rows (Slack, plain-text email).

        ``rest_in`` names where the rows past ``limit`` can be found (an attachment);
        without one the table only says how many were left out."""
        table = text_table(self.columns, self.rows, max_rows=limit, cell_max=CELL_MAX)
        if table and len(self.rows) > limit:
            where = f"in {rest_in}" if rest_in else "not shown"
            table += f"\n... {len(self.rows) - limit} more rows {where}"
        return table

    def take_answer(self, answer: Answer) -> None:
        """The result fields from ``answer`` (the agent's, or pinned SQL's)."""
        for name in ANSWER_FIELDS:
            setattr(self, name, getattr(answer, name))
        self.model = answer.model or None


def pinned_answer(columns: list[str], rows: list[list[Any]], truncated: bool) -> str:
    """The answer sentence for pinned SQL, where no model writes one: the value
    itself for a single cell, else the row count."""
    if len(rows) == 1 and len(columns) == 1:
        return f"{columns[0]}: {format_cell(rows[0][0], columns[0])}"
    if not rows:
        return "The query returned no rows."
    more = " (more were cut off)" if truncated else ""
    return f"The query returned {len(rows)} row{'s' if len(rows) != 1 else ''}{more}."


def write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
