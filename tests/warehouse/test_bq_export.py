"""CSV exports on BigQuery read the answering job's result instead of billing a
second run; a re-run happens only when that result expired, and says so.
Gemini (scripted endpoint) and BigQuery (scripted REST server) through the real
SDKs, the answer and the export through the web API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nl2sql.config import Settings
from tests.fakes.bqemulator import PROJECT, FakeBigQuery
from tests.fakes.gemini import GeminiServer, calls, text


@pytest.fixture
def fake() -> Iterator[FakeBigQuery]:
    f = FakeBigQuery().start()
    yield f
    f.stop()


@pytest.fixture
def gemini(monkeypatch: pytest.MonkeyPatch) -> Iterator[GeminiServer]:
    with GeminiServer() as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        yield server


def test_export_reads_the_jobs_result_then_reruns_once_it_expired(
        fake: FakeBigQuery, gemini: GeminiServer, tmp_path: Path) -> None:
    from nl2sql.web import create_app, runtime_of
    from tests.web.openapi import ValidatingClient

    fake.tables = {"shop.t": [{"name": "n", "type": "INTEGER"}]}
    fake.rows = [[i] for i in range(2500)]
    gemini.enqueue(calls(("sql_query", {"query": "SELECT n FROM shop.t ORDER BY n"})))
    gemini.enqueue(text("2,500 rows."))
    app = create_app(Settings(warehouse=f"bigquery://{PROJECT}?location=US",
                              bigquery_endpoint=fake.endpoint, model="gemini-2.5-flash",
                              allowed_datasets=("shop",), max_rows=1000,
                              state_db=str(tmp_path / "state.sqlite3")))
    app.test_client_class = ValidatingClient
    try:
        client = app.test_client()
        answer: Any = client.post("/api/ask", json={"question": "All n?"}).json
        assert len(answer["rows"]) == 1000 and answer["truncated"] is True
        assert answer["job"]["location"] == "US" and answer["job"]["job_id"]
        (job,) = fake.jobs_started()
        # one job serves the preview and the export: capped at the export cap
        assert job["query"]["query"].endswith("LIMIT 100001")
        assert answer["sql"] == "SELECT n FROM shop.t ORDER BY n"

        first = client.get(f"/api/answers/{answer['answer_id']}.csv")
        assert first.status_code == 200
        lines = first.get_data(as_text=True).splitlines()
        assert lines[0] == "n" and lines[1:] == [str(i) for i in range(2500)]
        assert first.headers["X-Export-Source"] == "job-result"
        assert first.headers["X-Row-Count"] == "2500"
        assert "X-Export-Note" not in first.headers
        assert len(fake.jobs_started()) == 1  # nothing ran (or billed) again
        pages = [r for r in fake.requests if r["path"].endswith("/data")]
        assert len(pages) >= 1

        fake.expire()
        again = client.get(f"/api/answers/{answer['answer_id']}.csv")
        assert again.status_code == 200
        assert again.headers["X-Export-Source"] == "re-run"
        assert "expired" in again.headers["X-Export-Note"]
        assert len(fake.jobs_started()) == 2
    finally:
        runtime_of(app).close()


def test_export_streams_rest_pages_and_stops_reading_at_the_cap(
        fake: FakeBigQuery, gemini: GeminiServer, tmp_path: Path) -> None:
    """Without google-cloud-bigquery-storage (not installed here), the export reads
    ``tabledata.list`` pages of 5,000 rows as the CSV is written, and no page past the
    export cap. The Storage Read API path is exercised only against real BigQuery."""
    import importlib.util

    from nl2sql.web import create_app, runtime_of

    assert importlib.util.find_spec("google.cloud.bigquery_storage") is None
    fake.tables = {"shop.t": [{"name": "n", "type": "INTEGER"}]}
    fake.rows = [[i] for i in range(11_000)]
    gemini.enqueue(calls(("sql_query", {"query": "SELECT n FROM shop.t ORDER BY n"})))
    gemini.enqueue(text("Many rows."))
    app = create_app(Settings(warehouse=f"bigquery://{PROJECT}?location=US",
                              bigquery_endpoint=fake.endpoint, model="gemini-2.5-flash",
                              allowed_datasets=("shop",), max_rows=1000, export_max_rows=7000,
                              state_db=str(tmp_path / "state.sqlite3")))
    try:
        client = app.test_client()
        answer: Any = client.post("/api/ask", json={"question": "All n?"}).json
        csv = client.get(f"/api/answers/{answer['answer_id']}.csv")
        assert csv.status_code == 200 and csv.headers["X-Export-Source"] == "job-result"
        lines = csv.get_data(as_text=True).splitlines()
        assert lines[0] == "n" and lines[1:] == [str(i) for i in range(7000)]
        pages = [r for r in fake.requests if r["path"].endswith("/data")]
        assert len(pages) == 2  # rows 0-4,999 and 5,000-9,999; the third page is never read
        assert len(fake.jobs_started()) == 1
    finally:
        runtime_of(app).close()
