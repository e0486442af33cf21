"""Number formatting: one rule for every channel, the page's (``format.js``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nl2sql.presentation.numbers import (
    format_bytes,
    format_cell,
    format_number,
    format_seconds,
    two_decimals,
)

#: shared with tests/frontend/format.test.mjs, so the page and the server agree
CASES = json.loads((Path(__file__).parent / "format_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("value", "column", "fixed", "expected"), CASES["number"])
def test_numbers_read_as_on_the_page(value: float, column: str, fixed: bool,
                                     expected: str) -> None:
    assert format_number(value, column, fixed=fixed) == expected


@pytest.mark.parametrize(("values", "expected"), CASES["two_decimals"])
def test_columns_of_amounts_get_two_decimals(values: list[Any], expected: bool) -> None:
    assert two_decimals(values) is expected


@pytest.mark.parametrize(("n", "expected"), CASES["bytes"])
def test_sizes(n: int, expected: str) -> None:
    assert format_bytes(n) == expected


@pytest.mark.parametrize(("seconds", "expected"), CASES["seconds"])
def test_durations(seconds: float, expected: str) -> None:
    assert format_seconds(seconds) == expected


def test_cells_show_dates_and_times_as_the_page_does() -> None:
    assert format_cell("2019-01-01T00:00:00") == "2019-01-01"
    assert format_cell("2019-01-01T00:00:00.000") == "2019-01-01"
    assert format_cell("2024-03-05T14:30:00") == "2024-03-05 14:30:00"
    assert format_cell(None) == "∅" and format_cell(True) == "true"
    assert format_cell({"a": [1]}) == '{"a": [1]}'
    assert format_cell("two\nlines") == "two lines"
    assert format_cell(float("nan")) == "nan"  # not a finite number: said as it is
