"""A CSV export re-runs the answer's SQL, so it is work like a question: it counts
against the user's rate limit and only NL2SQL_EXPORT_CONCURRENCY run at once
across the service. Through real gunicorn (two workers: the bound is shared),
with Gemini scripted by a local server so the answer's SQL is a slow one."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.gemini import GeminiServer, calls, text
from tests.web.servers import gunicorn, http

pytestmark = pytest.mark.slow

# A few seconds of DuckDB work on the test warehouse.
SLOW_SQL = ("SELECT SUM((a.order_id * b.order_id + c.id) % 7) AS n "
            "FROM thelook_ecommerce.orders a, thelook_ecommerce.orders b, "
            "thelook_ecommerce.products c WHERE c.id <= 100")


@pytest.fixture
def gemini() -> Iterator[GeminiServer]:
    with GeminiServer() as server:
        server.enqueue(calls(("sql_query", {"query": SLOW_SQL})))
        server.enqueue(text("Here is the sum."))
        yield server


def serve(web_db: Path, tmp_path: Path, gemini: GeminiServer, **extra: str
          ) -> tuple[dict[str, str], Path]:
    env = {"NL2SQL_WAREHOUSE": f"duckdb:///{web_db}", "NL2SQL_MODEL": "gemini-2.5-flash",
           "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3"), "NL2SQL_QUERY_TIMEOUT_S": "120",
           **gemini.env(), **extra}
    return env, tmp_path / "gunicorn.log"


def answer(url: str) -> dict:
    status, _, body = http("POST", f"{url}/api/ask", {"question": "What is the odd sum?"})
    assert status == 200, body
    data: dict = json.loads(body)
    assert data["sql"] and data["links"]["csv"]  # the gate's rendering of SLOW_SQL
    return data


def test_concurrent_exports_beyond_the_bound_are_503(web_db: Path, tmp_path: Path,
                                                     gemini: GeminiServer) -> None:
    env, log = serve(web_db, tmp_path, gemini, NL2SQL_EXPORT_CONCURRENCY="1",
                     NL2SQL_RATE_LIMIT="off")
    with gunicorn(env, log, workers=2) as url:
        csv_url = url + answer(url)["links"]["csv"]
        results: list[tuple[int, dict[str, str], bytes]] = []
        start = threading.Barrier(4)

        def export() -> None:
            start.wait()
            results.append(http("GET", csv_url))

        threads = [threading.Thread(target=export) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(status for status, _, _ in results)
        assert statuses[0] == 200 and 503 in statuses and set(statuses) <= {200, 503}, statuses
        for status, headers, body in results:
            if status == 503:
                error = json.loads(body)
                assert error["ok"] is False and error["status"] == 503
                assert "exports" in error["error"] and int(headers["Retry-After"]) > 0
            else:
                assert body.decode().splitlines()[0] == "n"
        # The slot is given back: the next export runs.
        status, _, body = http("GET", csv_url)
        assert status == 200, body


def test_exports_count_against_the_rate_limit(web_db: Path, tmp_path: Path,
                                              gemini: GeminiServer) -> None:
    env, log = serve(web_db, tmp_path, gemini, NL2SQL_RATE_LIMIT="3/hour")
    with gunicorn(env, log, workers=2) as url:
        data = answer(url)  # one of three
        csv_url = url + data["links"]["csv"]
        assert [http("GET", csv_url)[0] for _ in range(2)] == [200, 200]
        status, headers, body = http("GET", csv_url)
        error = json.loads(body)
        assert status == 429 and error["status"] == 429 and int(headers["Retry-After"]) > 0
        assert "exports" in error["error"]
        # Questions share the budget.
        status, _, body = http("POST", f"{url}/api/ask", {"question": "Again?"})
        assert status == 429, body
        # Nothing was lost: the conversation still holds its answer.
        status, _, body = http("GET", f"{url}/api/conversations/{data['conversation_id']}")
        assert status == 200 and json.loads(body)["answers"][0]["sql"] == data["sql"]
