"""The real entry point (``gunicorn nl2sql.web.wsgi:app``) with two workers,
the offline planner and a DuckDB file: what `nl2sql serve` runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.web.servers import gunicorn, http

pytestmark = pytest.mark.slow


def test_under_gunicorn(web_db: Path, tmp_path: Path) -> None:
    env = {"NL2SQL_WAREHOUSE": f"duckdb:///{web_db}", "NL2SQL_MODEL": "offline",
           "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3"), "NL2SQL_RATE_LIMIT": "50/minute"}
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, log, workers=2) as url:
        status, headers, body = http("POST", f"{url}/api/ask",
                                     {"question": "How many orders are there by status?"},
                                     headers={"X-Request-Id": "gunicorn-1"})
        assert status == 200, body
        answer = json.loads(body)
        assert answer["answered"] and answer["chart"]["kind"] == "bar"
        assert headers["X-Request-Id"] == "gunicorn-1"

        # Both workers see the conversation: the state lives in the shared SQLite file.
        for _ in range(6):
            status, _, body = http("GET", f"{url}/api/conversations/{answer['conversation_id']}")
            assert status == 200 and json.loads(body)["answers"][0]["sql"] == answer["sql"]

        status, headers, body = http("GET", f"{url}{answer['links']['csv']}")
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        assert body.decode().splitlines()[0] == ",".join(answer["columns"])

        status, headers, body = http("POST", f"{url}/api/ask/stream",
                                     {"question": "How many orders are there?"})
        assert status == 200 and headers["Content-Type"].startswith("text/event-stream")
        text = body.decode()
        assert "event: step_started" in text and "event: answer" in text

        status, _, body = http("POST", f"{url}/api/ask", {"question": ""})
        assert status == 400 and json.loads(body)["ok"] is False

        status, _, body = http("GET", f"{url}/")
        assert status == 200 and b'id="ask-form"' in body

        # Metrics are service-wide: every scrape (any worker) sees both answers.
        for _ in range(4):
            metrics = http("GET", f"{url}/metrics")[2].decode()
            assert 'nl2sql_answers_total{answered="true",interface="web"} 2' in metrics

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    answers = [line for line in lines if line["message"] == "answer"]
    assert answers and answers[0]["request_id"] == "gunicorn-1"
    assert answers[0]["sql"] == answer["sql"] and answers[0]["user"] == "anonymous"
