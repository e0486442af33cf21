"""CSV for spreadsheets: the one writer every export uses (web download,
report files, email attachments).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is run as a formula by Excel, LibreOffice and Google Sheets, so warehouse text
such as ``=HYPERLINK("http://evil", "click")`` or ``+cmd|' /C calc'!A0`` would
act when the file is opened. Following OWASP's "CSV injection" advice such a
cell is written with a leading single quote, which spreadsheets show as text.
Numbers (``-5``, ``+1.5e3``) are left as they are: they are data, not formulas.

>>> safe_cell("=1+1"), safe_cell("-5"), safe_cell("@SUM(A1)"), safe_cell(None)
("'=1+1", '-5', "'@SUM(A1)", '')
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

CHUNK_ROWS = 500
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell: text that a spreadsheet would run is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (int, float)):
        return value
    text = value if isinstance(value, str) else str(value)
    if _FORMULA_START.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text


def csv_chunks(columns: Sequence[Any], rows: Iterable[Sequence[Any]],
               chunk_rows: int = CHUNK_ROWS) -> Iterator[str]:
    """The header and rows as CSV text, ``chunk_rows`` rows per piece (for streaming)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_cell(c) for c in columns])
    for n, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(v) for v in row])
        if n % chunk_rows == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    if buf.getvalue():
        yield buf.getvalue()


def csv_bytes(columns: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """The whole CSV as UTF-8 bytes (report files and attachments)."""
    return "".join(csv_chunks(columns, rows)).encode("utf-8")
