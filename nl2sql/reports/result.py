"""A run's outcome as a file: written before any delivery, read by every retry.

Deliveries are built from this file alone, never from a live query, so a
destination retried tomorrow receives exactly what the others received today.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

TABLE_ROWS = 20  # rows shown inline in an email or Slack message; files get them all


@dataclass
class ReportResult:
    report: str
    question: str
    slot: str
    run_id: int
    status: str  # succeeded | failed
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

    def save(self, path: Path) -> None:
        """Write atomically (temp file, fsync, rename): a reader sees all or nothing."""
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(self.to_dict(), ensure_ascii=False, default=str, indent=1)
        write_atomic(path, data.encode("utf-8"))

    @classmethod
    def load(cls, path: str | Path) -> ReportResult:
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))

    # -- renderings shared by the destinations --------------------------------------

    def csv_bytes(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            # Raw values, not display formatting: the CSV is for spreadsheets.
            writer.writerow(["" if v is None else v if isinstance(v, (str, int, float))
                             else json.dumps(v, default=str) for v in row])
        return out.getvalue().encode("utf-8")

    def summary(self) -> str:
        """One line under the answer: how much data there was."""
        if not self.ok:
            return f"The run failed: {self.error}"
        if not self.columns:
            return "No query ran."
        n = len(self.rows)
        more = " (more rows were cut off)" if self.truncated else ""
        return f"{n} row{'s' if n != 1 else ''}{more}."

    def text_table(self, limit: int = TABLE_ROWS, width: int = 24,
                   rest_in: str | None = None) -> str:
        """A monospace table of the first ``limit`` rows (Slack, plain-text email).

        ``rest_in`` names where the rows past ``limit`` can be found (an attachment);
        without one the table only says how many were left out."""
        if not self.columns:
            return ""
        shown = [[_clip(_cell(v), width) for v in row] for row in self.rows[:limit]]
        header = [_clip(c, width) for c in self.columns]
        widths = [max([len(header[i])] + [len(r[i]) for r in shown])
                  for i in range(len(header))]
        lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                  for r in shown]
        if len(self.rows) > limit:
            where = f"in {rest_in}" if rest_in else "not shown"
            lines.append(f"... {len(self.rows) - limit} more rows {where}")
        return "\n".join(lines)


def pinned_answer(columns: list[str], rows: list[list[Any]], truncated: bool) -> str:
    """The answer sentence for pinned SQL, where no model writes one: the value
    itself for a single cell, else the row count."""
    if len(rows) == 1 and len(columns) == 1:
        return f"{columns[0]}: {_cell(rows[0][0])}"
    if not rows:
        return "The query returned no rows."
    more = " (more were cut off)" if truncated else ""
    return f"The query returned {len(rows)} row{'s' if len(rows) != 1 else ''}{more}."


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:g}"
    if isinstance(value, bool) or not isinstance(value, int):
        return value if isinstance(value, str) else json.dumps(value, default=str)
    return f"{value:,}" if abs(value) >= 10_000 else str(value)


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


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
