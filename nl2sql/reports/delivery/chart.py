"""The chart image for a delivery, when the result's shape suits one.

Which results get an image, and how it looks, is ``nl2sql.presentation.charts``'
decision (the same as Slack's); this only keeps a chart from failing a delivery.
"""

from __future__ import annotations

import logging

from nl2sql.presentation import charts
from nl2sql.reports.result import ReportResult

log = logging.getLogger(__name__)


def chart_png(result: ReportResult) -> bytes | None:
    """PNG bytes of the result's chart, or None when no chart fits.

    A single number is left out: the answer sentence already says it. A chart
    that fails to render never fails the delivery; the table carries the data.
    """
    if not result.ok:
        return None
    try:
        return charts.chart_png(result.columns, result.rows, truncated=result.truncated)
    except Exception as e:  # noqa: BLE001 - a broken chart must not lose the report
        log.warning("report %s: chart not rendered: %s", result.report, e)
        return None
