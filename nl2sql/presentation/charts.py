"""A chart chosen from a result's shape, as a Vega-Lite spec, and its rendering.

- a time column and measures → line (one line per measure, or per category)
- one category column and a measure, up to ``MAX_BARS`` rows → horizontal bar
- a single number → big number
- anything else → no chart (the table says it better)

Specs carry their data inline under neutral field names (``x``, ``y``,
``series``) so column names with dots or brackets, which Vega-Lite would read
as nested paths, need no escaping; axis titles keep the real names.
``render_svg``/``render_png`` use vl-convert, which bundles Vega: nothing is
fetched from the network, and the page needs no charting JavaScript.

>>> chart_for(["n"], [[42]]).kind
'number'
>>> chart_for(["month", "orders"], [["2024-01-01", 3], ["2024-02-01", 5]]).kind
'line'
>>> chart_for(["status", "orders"], [["Complete", 3], ["Shipped", 5]]).kind
'bar'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from nl2sql.presentation.numbers import format_number

VL_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_BARS = 40
MAX_SERIES = 10
MAX_MEASURES = 5
WIDTH, HEIGHT = 640, 260  # total pixels, axes included (autosize fit-x)
MIN_WIDTH, MAX_WIDTH = 240, 1600

_ISO_TIME = re.compile(
    r"^\d{4}-\d{2}(-\d{2})?([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_ID_NAME = re.compile(r"(^|_)id$", re.IGNORECASE)  # keys are not measures
_TIME_NAME = re.compile(r"(^|_)(year|yr|month|week|day|date|quarter|hour)s?($|_)", re.IGNORECASE)

ColumnKind = Literal["number", "time", "ordinal_time", "text", "empty"]

# vl-convert lays labels out with Liberation Sans metrics; the browser draws the
# SVG's text with the font named here. A wider font (system-ui is DejaVu Sans on
# many Linux desktops) would push labels into the axis title, so name Liberation
# Sans and its metric twins (Arial, Helvetica) rather than the system font.
THEME: dict[str, Any] = {
    "font": "'Liberation Sans', Arial, Helvetica, sans-serif",
    "background": "white",
    "view": {"stroke": None},
    "axis": {"labelColor": "#475569", "titleColor": "#334155", "gridColor": "#e2e8f0",
             "domainColor": "#cbd5e1", "tickColor": "#cbd5e1", "labelFontSize": 11,
             "titleFontSize": 12, "titleFontWeight": 500, "labelLimit": 180},
    "legend": {"labelColor": "#475569", "titleColor": "#334155", "labelLimit": 160},
    "mark": {"color": "#2563eb"},
    "line": {"strokeWidth": 2.25, "color": "#2563eb"},
    "bar": {"color": "#2563eb", "cornerRadiusEnd": 2},
    "point": {"filled": True, "size": 36},
    "range": {"category": ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6",
                           "#06b6d4", "#ec4899", "#84cc16", "#f97316", "#64748b"]},
}


@dataclass
class Chart:
    kind: Literal["line", "bar", "number"]
    spec: dict[str, Any]
    label: str | None = None  # the big number's caption
    value: Any = None  # the big number itself

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "spec": self.spec}
        if self.kind == "number":
            d.update(label=self.label, value=self.value)
        return d


def column_kind(name: str, values: list[Any], *, first: bool = False) -> ColumnKind:
    """What a column holds; ``first`` marks the leading column, where whole
    numbers that all look like years are taken as years."""
    present = [v for v in values if v is not None]
    if not present:
        return "empty"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        ints = all(isinstance(v, int) for v in present)
        yearish = first and ints and all(1900 <= v <= 2100 for v in present)
        if ints and (_TIME_NAME.search(name) or yearish):
            return "ordinal_time"  # EXTRACT(YEAR ...) AS y and friends
        return "number"
    if all(isinstance(v, str) and _ISO_TIME.match(v) for v in present):
        return "time"
    return "text"


def chart_for(columns: list[str], rows: list[list[Any]], *, truncated: bool = False,
              total_rows: int | None = None) -> Chart | None:
    """The chart that fits ``columns``/``rows`` (JSON-safe values), or None.

    A ``truncated`` result is charted as it is, with a title that says only the
    first rows are drawn, so the line does not pass for the whole story."""
    chart = _chart(columns, rows)
    if chart is not None and truncated and chart.kind != "number":
        chart.spec["title"] = {"text": partial_notice(len(rows), total_rows), "anchor": "start",
                               "fontSize": 12, "fontWeight": 500, "color": "#b45309"}
    return chart


def partial_notice(shown: int, total: int | None) -> str:
    """'Only the first 1,000 of 2,552 rows', or '... rows (there are more)' when unknown.

    >>> partial_notice(1000, 2552)
    'Only the first 1,000 of 2,552 rows'
    """
    if total is not None and total > shown:
        return f"Only the first {shown:,} of {total:,} rows"
    return f"Only the first {shown:,} rows (the result has more)"


def _chart(columns: list[str], rows: list[list[Any]]) -> Chart | None:
    if not rows or not columns:
        return None
    kinds = [column_kind(c, [r[i] for r in rows], first=i == 0) for i, c in enumerate(columns)]
    if len(rows) == 1 and len(columns) == 1 and kinds[0] == "number":
        return _number(columns[0], rows[0][0])
    if len(rows) < 2:
        return None
    measures = [i for i, k in enumerate(kinds) if k == "number" and not _ID_NAME.search(columns[i])]
    times = [i for i, k in enumerate(kinds) if k in ("time", "ordinal_time")]
    texts = [i for i, k in enumerate(kinds) if k == "text"]
    if times and measures:
        return _line(columns, rows, times[0], measures, texts, kinds[times[0]])
    if len(texts) == 1 and measures and len(rows) <= MAX_BARS:
        return _bar(columns, rows, texts[0], measures[0])
    return None


def _number(column: str, value: Any) -> Chart:
    spec = _base({"values": [{"y": format_number(value)}]}, width=320, height=90)
    spec.update(
        mark={"type": "text", "fontSize": 44, "fontWeight": 600, "color": "#0f172a"},
        encoding={"text": {"field": "y", "type": "nominal"}},
        title={"text": column, "fontSize": 13, "color": "#475569", "fontWeight": 500},
    )
    return Chart("number", spec, label=column, value=value)


def _time_unit(values: list[Any]) -> str | None:
    """A UTC time unit when every value is a whole year, month or day (a
    DATE_TRUNC result); None when times of day matter."""
    present = [str(v) for v in values if v is not None]
    if any(len(v) > 10 and v[11:19].strip("0:") for v in present):
        return None
    if all(v[5:10] == "01-01" for v in present):
        return "utcyear"
    if all(v[8:10] == "01" for v in present):
        return "utcyearmonth"
    return "utcyearmonthdate"


def _line(columns: list[str], rows: list[list[Any]], t: int, measures: list[int],
          texts: list[int], t_kind: ColumnKind) -> Chart | None:
    x_type = "temporal" if t_kind == "time" else "ordinal"
    unit = _time_unit([r[t] for r in rows]) if x_type == "temporal" else None
    if unit:
        # Date-only ISO strings parse as UTC in Vega, matching the UTC unit.
        rows = [[str(v)[:10] if i == t and v is not None else v for i, v in enumerate(r)]
                for r in rows]
    series: list[str] = []
    if len(texts) == 1 and len(measures) == 1:
        c, m = texts[0], measures[0]
        values = [{"x": r[t], "y": r[m], "series": str(r[c])} for r in rows]
        series_title = columns[c]
        y_title = columns[m]
        series = sorted({v["series"] for v in values})
        if len(series) > MAX_SERIES:
            return None
    else:
        chosen = measures[:MAX_MEASURES]
        values = [{"x": r[t], "y": r[m], "series": columns[m]} for r in rows for m in chosen]
        series_title = "measure"
        y_title = columns[chosen[0]] if len(chosen) == 1 else "value"
        series = [columns[m] for m in chosen]
    spec = _base({"values": values})
    x: dict[str, Any] = {"field": "x", "type": x_type, "title": columns[t]}
    if unit:
        x["timeUnit"] = unit
    if x_type == "ordinal":
        # Vega turns ordinal labels on their side; years read upright.
        x["axis"] = {"labelAngle": 0, "labelOverlap": True}
    encoding: dict[str, Any] = {
        "x": x,
        "y": {"field": "y", "type": "quantitative", "title": y_title},
        "tooltip": [{**x},
                    {"field": "y", "type": "quantitative", "title": y_title, "format": ","}],
    }
    if len(series) > 1:
        encoding["color"] = {"field": "series", "type": "nominal", "title": series_title}
        encoding["tooltip"].append({"field": "series", "type": "nominal", "title": series_title})
    points = len(rows) <= 40
    spec.update(mark={"type": "line", "point": points}, encoding=encoding)
    return Chart("line", spec)


def _bar(columns: list[str], rows: list[list[Any]], c: int, m: int) -> Chart:
    values = [{"x": r[m], "y": "(null)" if r[c] is None else str(r[c])} for r in rows]
    spec = _base({"values": values}, height={"step": 22 if len(values) <= 12 else 18})
    spec.update(
        mark={"type": "bar", "tooltip": True},
        encoding={
            "y": {"field": "y", "type": "nominal", "title": columns[c], "sort": "-x"},
            "x": {"field": "x", "type": "quantitative", "title": columns[m]},
            "tooltip": [{"field": "y", "type": "nominal", "title": columns[c]},
                        {"field": "x", "type": "quantitative", "title": columns[m],
                         "format": ","}],
        },
    )
    return Chart("bar", spec)


def _base(data: dict[str, Any], *, width: int = WIDTH, height: Any = HEIGHT) -> dict[str, Any]:
    return {"$schema": VL_SCHEMA, "width": width, "height": height,
            "autosize": {"type": "fit-x", "contains": "padding"}, "data": data,
            "config": THEME}


def resized(spec: dict[str, Any], width: int) -> dict[str, Any]:
    """A copy of ``spec`` drawn ``width`` pixels wide (clamped), e.g. for a phone."""
    return {**spec, "width": max(MIN_WIDTH, min(int(width), MAX_WIDTH))}


def render_svg(spec: dict[str, Any]) -> str:
    """SVG markup for a Vega-Lite spec (no network: external data URLs are refused)."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg


def render_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """PNG bytes for a Vega-Lite spec, at ``scale`` times its size (Slack, email)."""
    import vl_convert

    png: bytes = vl_convert.vegalite_to_png(spec, scale=scale, allowed_base_urls=[])
    return png


#: Chart kinds worth an image in a message (Slack, email): a lone number is
#: already in the answer's text.
IMAGE_KINDS = ("bar", "line")


def chart_png(columns: list[str], rows: list[list[Any]], scale: float = 2.0, *,
              truncated: bool = False, total_rows: int | None = None) -> bytes | None:
    """The PNG a message carries for this result, or None when its shape gets none."""
    chart = chart_for(columns, rows, truncated=truncated, total_rows=total_rows)
    if chart is None or chart.kind not in IMAGE_KINDS:
        return None
    return render_png(chart.spec, scale=scale)
