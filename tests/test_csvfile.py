"""The one CSV writer every export uses: cells that spreadsheets would run are text."""

from __future__ import annotations

import csv
import io

import pytest

from nl2sql.csvfile import csv_bytes, csv_chunks, safe_cell


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (True, "true"), (3, 3), (-2.5, -2.5), ("-5", "-5"), ("1e3", "1e3"),
    ("+1.5E-3", "+1.5E-3"), ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1+1", "'+1+1"),
    ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("plain", "plain"), ("a=b", "a=b"), ({"a": 1}, '{"a": 1}'), ([1, 2], "[1, 2]"),
    (["=1"], '["=1"]'),
])
def test_cells_are_safe_for_spreadsheets(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_header_cells_are_neutralised_too_and_chunks_join_to_the_whole() -> None:
    rows = [[i, f"=A{i}"] for i in range(1203)]
    chunks = list(csv_chunks(["=cmd", "v"], rows, chunk_rows=500))
    assert len(chunks) == 3
    parsed = list(csv.reader(io.StringIO("".join(chunks))))
    assert parsed[0] == ["'=cmd", "v"] and parsed[-1] == ["1202", "'=A1202"]
    assert csv_bytes(["=cmd", "v"], rows).decode() == "".join(chunks)
