"""The chart image for a delivery, when the result's shape suits one.

The one switch point for charting: the shape rules and rendering belong to
``nl2sql.charts`` (shared with the web page); this only decides which of its
charts are worth an image in a message.
"""

from __future__ import annotations

import logging

from nl2sql.reports.result import ReportResult

log = logging.getLogger(__name__)


def chart_png(result: ReportResult) -> bytes | None:
    """PNG bytes of the result's chart, or None when no chart fits.

    A single number is left out: the answer sentence already says it. A chart
    that fails to render never fails the delivery; the table carries the data.
    """
    if not result.ok or len(result.rows) < 2:
        return None
    try:
        from nl2sql.charts import chart_for, render_png
    except ImportError:  # charts are optional for reports
        return None
    chart = chart_for(result.columns, result.rows)
    if chart is None or chart.kind == "number":
        return None
    try:
        return render_png(chart.spec)
    except Exception as e:  # noqa: BLE001 - a broken chart must not lose the report
        log.warning("report %s: chart not rendered: %s", result.report, e)
        return None
