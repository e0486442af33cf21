"""Two app instances (two gunicorn processes on different ports) on one real
PostgreSQL server share conversations and each user's rate limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.web.servers import gunicorn, http

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_two_instances_share_a_conversation_and_a_rate_limit(
        postgres_url: str, demo_db: Path, tmp_path: Path) -> None:
    env = {"NL2SQL_STATE_URL": postgres_url, "NL2SQL_WAREHOUSE": f"duckdb:///{demo_db}",
           "NL2SQL_MODEL": "offline", "NL2SQL_RATE_LIMIT": "3/hour",
           # Each instance keeps its own local SQLite file, as separate machines would.
           }
    with gunicorn({**env, "NL2SQL_STATE_DB": str(tmp_path / "a.sqlite3")},
                  tmp_path / "a.log", workers=1) as a, \
            gunicorn({**env, "NL2SQL_STATE_DB": str(tmp_path / "b.sqlite3")},
                     tmp_path / "b.log", workers=1) as b:
        status, _, body = http("POST", f"{a}/api/ask", {"question": "How many users are there?"})
        assert status == 200, body
        first = json.loads(body)
        status, _, body = http("POST", f"{b}/api/ask", {
            "question": "And how many orders?",
            "conversation_id": first["conversation_id"]})
        assert status == 200, body
        follow = json.loads(body)
        assert follow["conversation_id"] == first["conversation_id"]
        # B answered with A's question in the history it handed the model.
        status, _, body = http("GET", f"{a}/api/conversations/{first['conversation_id']}")
        assert status == 200, body
        answers = json.loads(body)["answers"]
        assert [x["question"] for x in answers] == ["How many users are there?",
                                                    "And how many orders?"]

        # The budget of 3 per hour is one budget: 2 used, 1 left on either instance.
        status, _, _ = http("POST", f"{b}/api/ask", {"question": "How many users are there?"})
        assert status == 200
        status, _, body = http("POST", f"{a}/api/ask", {"question": "How many users are there?"})
        assert status == 429, body
        assert "too many" in json.loads(body)["error"]
