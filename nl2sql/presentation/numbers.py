"""How a value reads to a person: numbers, cells, durations, sizes.

One rule for every channel, the same as the page's ``frontend/js/format.js``
(``tests/presentation/format_cases.json`` holds the cases both must pass):

- ids, years and codes (by column name) have no thousands separators;
- whole numbers are grouped: ``12,345``;
- a number under 1 keeps four significant digits: ``0.01235``;
- any other number has at most two decimals: ``1,234.5``;
- a column of amounts (some fractions, nothing small) shows two decimals
  throughout, so the decimal points line up: ``two_decimals`` decides it.

>>> format_number(1234567.5), format_number(0.012345), format_number(2024, "year")
('1,234,567.5', '0.01235', '2024')
>>> format_number(53.6, fixed=two_decimals([53.6, 12]))
'53.60'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

# Ids, years and codes read wrong with thousands separators ("2,024").
UNGROUPED = re.compile(r"(^|_)(id|year|yr|zip|code|postal_code)$", re.IGNORECASE)
NULL = "∅"
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00:00(\.0+)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def is_number(value: Any) -> bool:
    """A finite int or float (not a bool)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def two_decimals(values: Iterable[Any]) -> bool:
    """True when a column's numbers read best with two decimals each: some have a
    fraction and none is a small number (those keep their significant digits).

    >>> two_decimals([53.6, 53.57]), two_decimals([1, 2]), two_decimals([0.5, 3.25])
    (True, False, False)
    """
    present = [v for v in values if is_number(v)]
    return (any(not float(v).is_integer() for v in present)
            and all(v == 0 or abs(v) >= 1 for v in present))


def format_number(value: Any, column: str = "", *, fixed: bool = False) -> str:
    """``value`` as the page shows it (see the module doc); non-numbers as ``str``.

    >>> format_number(42), format_number(5.0), format_number(0.5), format_number(7, fixed=True)
    ('42', '5', '0.5', '7.00')
    >>> format_number(12345, "user_id"), format_number(0.0000001)
    ('12345', '0.0000001')
    """
    if not is_number(value):
        return str(value)
    if UNGROUPED.search(column):
        return str(value) if isinstance(value, int) else f"{value:.6f}".rstrip("0").rstrip(".")
    if fixed:
        return f"{value:,.2f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) < 1:
        return str(np.format_float_positional(value, precision=4, unique=False,
                                              fractional=False, trim="-"))
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_cell(value: Any, column: str = "", *, fixed: bool = False, null: str = NULL) -> str:
    """One table cell: numbers as ``format_number``, a date without its midnight
    time, a timestamp without the ``T``, JSON for nested values.

    >>> format_cell("2019-01-01T00:00:00"), format_cell("2024-03-05T14:30:00"), format_cell(None)
    ('2019-01-01', '2024-03-05 14:30:00', '∅')
    """
    if value is None:
        return null
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return format_number(value, column, fixed=fixed)
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str, ensure_ascii=False)
    text = " ".join(str(value).split())
    midnight = _MIDNIGHT.match(text)
    if midnight:
        return midnight.group(1)
    if _TIMESTAMP.match(text):
        return text.replace("T", " ", 1)
    return text


def format_seconds(seconds: float) -> str:
    """``0.0 s`` says nothing: under a second is counted in milliseconds.

    >>> format_seconds(0.042), format_seconds(2.46)
    ('42 ms', '2.5 s')
    """
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def format_bytes(n: int | None, *, unknown: str = "not reported") -> str:
    """A byte count in B/KB/MB/GB/TB (1024 each): one decimal under 10, else none.

    >>> format_bytes(512), format_bytes(1536), format_bytes(15 * 1024**2), format_bytes(None)
    ('512 B', '1.5 KB', '15 MB', 'not reported')
    """
    if n is None:
        return unknown
    size = float(n)
    units = ("B", "KB", "MB", "GB", "TB")
    i = 0
    while size >= 1024 and i < len(units) - 1:
        size /= 1024
        i += 1
    return f"{size:.1f} {units[i]}" if size < 10 and i else f"{math.floor(size + 0.5)} {units[i]}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 step``, ``3 steps``, ``1,200 rows``.

    >>> plural(1, "step"), plural(1200, "row")
    ('1 step', '1,200 rows')
    """
    return f"{n:,} {one if n == 1 else many or one + 's'}"
