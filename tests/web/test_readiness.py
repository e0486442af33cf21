"""GET /readyz tells an orchestrator what the service can actually do, while
/healthz stays a cheap liveness check; errors never show server file paths.
Through real gunicorn."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.web.servers import gunicorn, http

pytestmark = pytest.mark.slow


def base_env(web_db: Path, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"NL2SQL_WAREHOUSE": f"duckdb:///{web_db}", "NL2SQL_MODEL": "offline",
            "NL2SQL_STATE_DB": str(tmp_path / "state" / "state.sqlite3"), **extra}


def get(url: str) -> tuple[int, dict]:
    status, _, body = http("GET", url)
    return status, json.loads(body)


def no_paths(data: object, *paths: Path) -> None:
    text = json.dumps(data)
    for path in paths:
        assert str(path.resolve().parent) not in text and str(path.parent) not in text, text


def test_ready_then_a_corrupted_state_database_is_not_ready(web_db: Path,
                                                            tmp_path: Path) -> None:
    env = base_env(web_db, tmp_path)
    state = Path(env["NL2SQL_STATE_DB"])
    with gunicorn(env, tmp_path / "gunicorn.log") as url:
        status, ready = get(f"{url}/readyz")
        assert status == 200 and ready == {"ok": True, "status": "ready", "checks": {
            "state": "ok", "warehouse": "ok", "model": "ok"}}
        assert http("POST", f"{url}/api/ask", {"question": "How many orders are there?"})[0] == 200

        # Garbage over the state file, as a failing disk or a bad copy leaves it.
        state.write_bytes(b"this is not a database " * 4096)
        for sidecar in ("-wal", "-shm"):
            Path(f"{state}{sidecar}").unlink(missing_ok=True)

        status, ready = get(f"{url}/readyz")
        assert status == 503 and ready["ok"] is False and ready["status"] == 503
        assert ready["checks"]["state"] != "ok" and "state database" in ready["error"]
        assert ready["checks"]["warehouse"] == "ok" and ready["checks"]["model"] == "ok"
        no_paths(ready, state)
        # Liveness is unchanged: the process serves requests.
        assert get(f"{url}/healthz")[0] == 200


def test_an_unconfigured_model_and_a_missing_warehouse_are_not_ready(web_db: Path,
                                                                     tmp_path: Path) -> None:
    missing = tmp_path / "elsewhere" / "gone.duckdb"
    env = base_env(web_db, tmp_path, NL2SQL_WAREHOUSE=f"duckdb:///{missing}",
                   NL2SQL_MODEL="gemini-2.5-flash")  # and no Gemini credentials
    with gunicorn(env, tmp_path / "gunicorn.log") as url:
        assert get(f"{url}/healthz")[0] == 200
        status, ready = get(f"{url}/readyz")
        assert status == 503, ready
        checks = ready["checks"]
        assert checks["state"] == "ok"
        assert "warehouse" in checks["warehouse"] and "gone.duckdb" in checks["warehouse"]
        assert "model" in checks["model"]
        no_paths(ready, missing)
        # The same errors on the API: a clear sentence, no server path.
        status, _, body = http("POST", f"{url}/api/ask", {"question": "How many orders?"})
        error = json.loads(body)
        assert status >= 500 and error["ok"] is False and error["error"]
        no_paths(error, missing)


def test_the_warehouse_coming_back_makes_it_ready(web_db: Path, tmp_path: Path) -> None:
    later = tmp_path / "later" / "shop.duckdb"
    env = base_env(web_db, tmp_path, NL2SQL_WAREHOUSE=f"duckdb:///{later}")
    with gunicorn(env, tmp_path / "gunicorn.log") as url:
        status, ready = get(f"{url}/readyz")
        assert status == 503 and ready["checks"]["warehouse"] != "ok"
        no_paths(ready, later)
        status, _, body = http("POST", f"{url}/api/ask", {"question": "How many orders?"})
        error = json.loads(body)
        assert status == 503 and "shop.duckdb" in error["error"], error
        no_paths(error, later)
        later.parent.mkdir()
        shutil.copy(web_db, later)
        for _ in range(200):  # the warehouse verdict is remembered a few seconds
            status, ready = get(f"{url}/readyz")
            if status == 200:
                break
            time.sleep(0.1)
        assert status == 200, ready
