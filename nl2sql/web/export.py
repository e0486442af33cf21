"""Answer exports: the full result as CSV, and the chart as SVG.

The CSV is never the model's preview. On BigQuery it is the answering job's
whole result, read page by page from the job's destination table (kept about
24 hours, nothing billed; ``X-Export-Source: job-result``). Elsewhere, or once
that table has expired, the answer's SQL goes through the safety gate again,
now with the export cap ``NL2SQL_EXPORT_MAX_ROWS``, runs again
(``X-Export-Source: re-run``; ``X-Export-Note`` says why on BigQuery), and is
streamed out in chunks. ``X-Row-Count`` and ``X-Truncated`` tell a client
whether the cap cut it.

Re-running SQL is work like a question: an export counts against the user's
rate limit (429), and at most ``NL2SQL_EXPORT_CONCURRENCY`` run at once across
the service (503 with ``Retry-After`` beyond that), so a burst of exports of a
slow query cannot take every core.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from flask.blueprints import BlueprintSetupState

from nl2sql.csvfile import csv_chunks
from nl2sql.errors import BadRequest, NotFound
from nl2sql.presentation.charts import render_svg, resized
from nl2sql.slots import Slots
from nl2sql.web.api import checked_id
from nl2sql.web.services import services

bp = Blueprint("export", __name__)

_EXT = "nl2sql.export_slots"


@bp.record_once
def _build(state: BlueprintSetupState) -> None:
    s = services(state.app)
    settings = s.runtime.settings
    # In the state database, so the bound holds across gunicorn workers; a lease
    # outlives the query timeout, so a crashed worker's slot frees itself.
    state.app.extensions[_EXT] = Slots(s.db, "export", settings.export_concurrency,
                                       lease_s=settings.query_timeout_s + 60)


def export_slots(app: Flask) -> Slots:
    """The app's export slots."""
    slots: Slots = app.extensions[_EXT]
    return slots


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
    with export_slots(current_app).hold(
            "the service is running as many CSV exports as it allows; try again shortly"):
        # Counted once a slot is held: a refused (503) export costs no budget.
        s.limiter.check(g.rate_key, what="questions and exports")
        # The answering job's result, while the warehouse keeps it (BigQuery, ~24 h):
        # read page by page, nothing runs or bills again.
        kept = (warehouse.export_rows(job, settings.export_max_rows) if job.get("job_id")
                else None)
        if kept is None:
            result = s.runtime.run_sql(record.sql, labels={"interface": "export",
                                                           "user": g.user},
                                       max_rows=settings.export_max_rows)
    if kept is not None:
        return Response(csv_chunks(kept.columns, kept.rows), mimetype="text/csv", headers={
            **headers, "X-Row-Count": str(kept.row_count),
            "X-Truncated": "true" if kept.truncated else "false",
            "X-Export-Source": "job-result"})
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
        if not (width.isascii() and width.isdigit() and len(width) <= 5):
            raise BadRequest("'width' must be a whole number of pixels")
        spec = resized(spec, int(width))
    return Response(render_svg(spec), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=3600"})
