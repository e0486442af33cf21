"""CSV exports from the job that answered, not from a second run.

BigQuery keeps a query's result in the job's destination table (an anonymous
table, free, for about 24 hours). An answer keeps its job id and location, so
an export reads that table page by page (``tabledata.list``; through the
BigQuery Storage Read API when ``google-cloud-bigquery-storage`` is installed)
and bills nothing. When the table has expired, or the job cannot be found, the
caller runs the SQL again and says so.
"""

from __future__ import annotations

import importlib.util
import itertools
import logging
from collections.abc import Iterator
from typing import Any

from google.api_core import exceptions as api
from google.cloud import bigquery

from nl2sql.warehouse.base import ExportedRows
from nl2sql.warehouse.bq_values import json_value

log = logging.getLogger(__name__)

PAGE_ROWS = 5_000
API_TIMEOUT_S = 30.0


def export_rows(client: bigquery.Client, job: dict[str, Any], max_rows: int,
                retry: Any) -> ExportedRows | None:
    """The destination table of ``job`` (``job_id``, ``location``), or None when gone."""
    job_id = job.get("job_id")
    if not job_id:
        return None
    try:
        found = client.get_job(job_id, location=job.get("location"), retry=retry,
                               timeout=API_TIMEOUT_S)
        destination = getattr(found, "destination", None)
        if destination is None or found.state != "DONE" or found.error_result:
            return None
        table = client.get_table(destination, retry=retry, timeout=API_TIMEOUT_S)
    except api.NotFound:
        log.info("job %s or its result table is gone: the export runs the query again", job_id)
        return None
    total = table.num_rows or 0
    # The whole table is read lazily and cut at max_rows: with the Storage Read API
    # streams stop when we stop reading; over REST, pages are fetched as needed.
    rows = client.list_rows(table, page_size=PAGE_ROWS, retry=retry, timeout=API_TIMEOUT_S)
    return ExportedRows(columns=[f.name for f in table.schema],
                        rows=itertools.islice(_values(client, rows), max_rows),
                        row_count=min(total, max_rows), truncated=total > max_rows)


def _values(client: bigquery.Client, rows: Any) -> Iterator[list[Any]]:
    """Rows as JSON-safe lists, one page in memory at a time; through the Storage
    Read API where it is installed (much faster on big results)."""
    if _storage_installed():
        sent = False
        try:
            storage = client._ensure_bqstorage_client()
            for batch in rows.to_arrow_iterable(bqstorage_client=storage):
                for r in batch.to_pylist():
                    sent = True
                    yield [json_value(v) for v in r.values()]
            return
        except Exception as e:
            if sent:  # falling back now would send the first rows twice
                raise
            log.info("Storage Read API unavailable (%s); reading pages over REST", e)
    for page in rows.pages:
        yield from ([json_value(v) for v in row.values()] for row in page)


def _storage_installed() -> bool:
    return all(importlib.util.find_spec(m) is not None
               for m in ("google.cloud.bigquery_storage", "pyarrow"))
