"""Charts from the result's shape, and their server-side rendering."""

from __future__ import annotations

import pytest

from nl2sql.presentation.charts import (
    chart_for,
    chart_png,
    column_kind,
    render_png,
    render_svg,
    resized,
)

MONTHS = [[f"2024-{m:02d}-01T00:00:00", m * 10] for m in range(1, 13)]


@pytest.mark.parametrize(("columns", "rows", "kind"), [
    (["orders"], [[42]], "number"),
    (["avg_price"], [[12.5]], "number"),
    (["month", "orders"], MONTHS, "line"),
    (["day", "revenue", "orders"], [["2024-01-01", 1.5, 2], ["2024-01-02", 2.5, 3]], "line"),
    (["year", "orders"], [[2023, 5], [2024, 7]], "line"),
    (["y", "n"], [[2019, 5], [2020, 7]], "line"),
    (["month", "status", "n"], [["2024-01-01", "A", 1], ["2024-02-01", "A", 2],
                                ["2024-01-01", "B", 3]], "line"),
    (["status", "orders"], [["Complete", 3], ["Shipped", 5]], "bar"),
    (["category", "revenue", "orders"], [["Jeans", 3.5, 1], ["Swim", 5.0, 2]], "bar"),
    (["status", "orders"], [[None, 3], ["Shipped", 5]], "bar"),
])
def test_shapes(columns: list[str], rows: list[list[object]], kind: str) -> None:
    chart = chart_for(columns, rows)
    assert chart is not None and chart.kind == kind
    assert chart.spec["$schema"].endswith("vega-lite/v5.json")
    assert chart.spec["data"]["values"]


@pytest.mark.parametrize(("columns", "rows"), [
    ([], []),
    (["orders"], []),
    (["name"], [["Ann"]]),  # a single text value
    (["a", "b"], [[1, 2]]),  # one row, two numbers
    (["id", "name", "email"], [[1, "a", "b"], [2, "c", "d"]]),  # a listing
    (["status", "n"], [[f"s{i}", i] for i in range(41)]),  # too many bars
    (["age", "n"], [[20, 1], [30, 2]]),  # numbers against numbers
])
def test_no_chart_when_the_table_says_it_better(columns: list[str],
                                                rows: list[list[object]]) -> None:
    assert chart_for(columns, rows) is None


def test_column_names_with_dots_are_safe() -> None:
    chart = chart_for(["o.status", "count(*)"], [["a", 1], ["b", 2]])
    assert chart is not None
    assert chart.spec["encoding"]["y"]["title"] == "o.status"
    assert chart.spec["encoding"]["y"]["field"] == "y"


def test_time_columns() -> None:
    assert column_kind("month", ["2024-01-01", None]) == "time"
    assert column_kind("ts", ["2024-01-01T10:11:12.5+00:00"]) == "time"
    assert column_kind("name", ["2024-01-01", "soon"]) == "text"
    line = chart_for(["month", "orders"], MONTHS)
    assert line is not None
    assert line.spec["encoding"]["x"]["timeUnit"] == "utcyearmonth"
    assert line.spec["data"]["values"][0]["x"] == "2024-01-01"


def test_big_number_is_formatted() -> None:
    chart = chart_for(["revenue"], [[1234567.891]])
    assert chart is not None
    assert chart.to_dict()["value"] == 1234567.891
    assert chart.spec["data"]["values"] == [{"y": "1,234,567.89"}]


def test_render_svg_and_png() -> None:
    chart = chart_for(["status", "orders"], [["Complete", 3], ["Shipped", 5]])
    assert chart is not None
    svg = render_svg(chart.spec)
    assert svg.startswith("<svg") and "Complete" in svg
    wide = render_svg(resized(chart.spec, 900))
    assert 'width="900"' in wide
    assert render_png(chart.spec, scale=1).startswith(b"\x89PNG")


def test_messages_get_images_only_for_grouped_or_time_series_results() -> None:
    # One rule for Slack and report email: bars and lines get an image; a lone
    # number is already in the answer's text, and other shapes read as a table.
    grouped = chart_png(["status", "orders"], [["Complete", 3], ["Returned", 1]])
    assert grouped is not None and grouped.startswith(b"\x89PNG")
    monthly = chart_png(["month", "orders"], MONTHS)
    assert monthly is not None and monthly.startswith(b"\x89PNG")
    assert chart_png(["n"], [[42]]) is None
    assert chart_png([], []) is None
    assert chart_png(["a", "b"], [["x", "y"], ["z", "w"]]) is None


def test_resized_clamps() -> None:
    spec = {"width": 640}
    assert resized(spec, 10)["width"] == 240 and resized(spec, 10**6)["width"] == 1600
