"""A result as a fixed-width text table, for code blocks and plain-text email.

Cells read as on the page (``nl2sql.presentation.numbers``), numbers are
right-aligned, long cells are cut with an ellipsis.

>>> print(text_table(["status", "orders"], [["Complete", 1200], ["Shipped", 75]]))
status    orders
--------  ------
Complete   1,200
Shipped       75
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nl2sql.presentation.numbers import format_cell, is_number, two_decimals

CELL_MAX = 32


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def numeric(values: Sequence[Any]) -> bool:
    """A column of numbers (nulls aside): right-aligned."""
    present = [v for v in values if v is not None]
    return bool(present) and all(is_number(v) for v in present)


def text_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
               max_rows: int | None = None, cell_max: int = CELL_MAX) -> str:
    """The first ``max_rows`` rows (all when None) as a table; '' without columns."""
    if not columns:
        return ""
    shown = [list(r) for r in (rows if max_rows is None else rows[:max_rows])]
    by_column = [[r[i] if i < len(r) else None for r in shown] for i in range(len(columns))]
    right = [numeric(values) for values in by_column]
    fixed = [numeric(values) and two_decimals(values) for values in by_column]
    cells = [[clip(format_cell(v, columns[i], fixed=fixed[i]).replace("\n", " "), cell_max)
              for i, v in enumerate(r[: len(columns)])] for r in shown]
    header = [clip(c, cell_max) for c in columns]
    widths = [max([len(header[i])] + [len(r[i]) for r in cells if i < len(r)])
              for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if r else v.ljust(w)
                 for v, w, r in zip(values, widths, right, strict=False)]
        return "  ".join(parts).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths),
                      *(line(r) for r in cells)])
