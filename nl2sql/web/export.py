"""Answer exports: the full result as CSV, and the chart as SVG.

The CSV is never the model's preview. On BigQuery it is the answering job's
whole result, read page by page from the job's destination table (kept about
24 hours, nothing billed; ``X-Export-Source: job-result``). Elsewhere, or once
that table has expired, the answer's SQL goes through the safety gate again,
now with the export cap ``NL2SQL_EXPORT_MAX_ROWS``, runs again
(``X-Export-Source: re-run``; ``X-Export-Note`` says why on BigQuery), and is
streamed out in chunks. ``X-Row-Count`` and ``X-Truncated`` tell a client
whether the cap cut it.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Blueprint, Response, g, request

from nl2sql.errors import BadRequest, NotFound
from nl2sql.presentation.charts import render_svg, resized
from nl2sql.web.api import checked_id
from nl2sql.web.services import services

bp = Blueprint("export", __name__)

CHUNK_ROWS = 500
# Cells a spreadsheet would run as a formula; numbers like "-5" stay as they are.
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and _FORMULA.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_chunks(columns: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text in chunks of ``CHUNK_ROWS`` rows; ``rows`` may be a lazy iterator."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([cell(c) for c in columns])
    it = iter(rows)
    while chunk := list(itertools.islice(it, CHUNK_ROWS)):
        writer.writerows([cell(v) for v in row] for row in chunk)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if buf.getvalue():
        yield buf.getvalue()


@bp.get("/api/answers/<answer_id>.csv")
def answer_csv(answer_id: str) -> Any:
    s = services()
    record = s.store.answer(checked_id(answer_id, "answer"), g.user)
    if not record.sql:
        raise NotFound("this answer ran no SQL, so there is no result to export")
    settings = s.runtime.settings
    warehouse = s.runtime.warehouse
    job = record.data.get("job") or {}
    headers = {"Content-Disposition": f'attachment; filename="answer-{record.id}.csv"',
               "Cache-Control": "private, no-store"}
    # The answering job's result, when the warehouse still keeps it (BigQuery, ~24 h).
    kept = warehouse.export_rows(job, settings.export_max_rows) if job.get("job_id") else None
    if kept is not None:
        return Response(csv_chunks(kept.columns, kept.rows), mimetype="text/csv", headers={
            **headers, "X-Row-Count": str(kept.row_count),
            "X-Truncated": "true" if kept.truncated else "false",
            "X-Export-Source": "job-result"})
    result = s.runtime.run_sql(record.sql, labels={"interface": "export", "user": g.user},
                               max_rows=settings.export_max_rows)
    s.metrics.count_bytes(result.bytes_processed)
    if job.get("job_id") and warehouse.keeps_results:
        # Saying so: this export ran (and billed) the query a second time.
        headers["X-Export-Note"] = ("the answer's query result has expired (BigQuery keeps "
                                    "it about 24 hours), so the query ran again")
    return Response(csv_chunks(result.columns, result.rows), mimetype="text/csv", headers={
        **headers, "X-Row-Count": str(len(result.rows)),
        "X-Truncated": "true" if result.truncated else "false",
        "X-Export-Source": "re-run"})


@bp.get("/api/answers/<answer_id>/chart.svg")
def answer_chart(answer_id: str) -> Any:
    """The answer's chart as SVG; ``?width=N`` draws it N pixels wide (the page
    asks for its column's width, so a phone gets readable labels)."""
    record = services().store.answer(checked_id(answer_id, "answer"), g.user)
    chart = record.data.get("chart")
    if not chart:
        raise NotFound("this answer has no chart")
    spec = chart["spec"]
    width = request.args.get("width", "")
    if width:
        if not width.isdigit():
            raise BadRequest("'width' must be a whole number of pixels")
        spec = resized(spec, int(width))
    return Response(render_svg(spec), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=3600"})
