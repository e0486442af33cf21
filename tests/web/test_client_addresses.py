"""Without API tokens every client is anonymous: each client address gets its own
rate-limit budget, and X-Forwarded-For counts only from trusted proxies. Through
real gunicorn, with clients on different loopback addresses (127.0.0.x)."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from nl2sql.web.proxies import client_address, parse
from tests.web.servers import gunicorn

pytestmark = pytest.mark.slow

QUESTION = json.dumps({"question": "How many orders are there?"})


def ask(url: str, source: str = "127.0.0.1", forwarded_for: str | None = None
        ) -> tuple[int, dict[str, str], dict]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(source, 0))
    headers = {"Content-Type": "application/json"}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    try:
        conn.request("POST", "/api/ask", QUESTION, headers)
        r = conn.getresponse()
        return r.status, dict(r.headers), json.loads(r.read())
    finally:
        conn.close()


def env_for(web_db: Path, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"NL2SQL_WAREHOUSE": f"duckdb:///{web_db}", "NL2SQL_MODEL": "offline",
            "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3"), "NL2SQL_RATE_LIMIT": "2/hour",
            **extra}


def test_anonymous_clients_are_limited_per_address(web_db: Path, tmp_path: Path) -> None:
    with gunicorn(env_for(web_db, tmp_path), tmp_path / "gunicorn.log") as url:
        assert [ask(url)[0] for _ in range(2)] == [200, 200]
        status, headers, body = ask(url)
        assert status == 429 and body["ok"] is False and body["status"] == 429
        assert int(headers["Retry-After"]) > 0 and "too many" in body["error"]
        # No proxy is trusted: a forged X-Forwarded-For buys no new budget.
        assert ask(url, forwarded_for="203.0.113.9")[0] == 429
        # Another client is not locked out by the first.
        assert [ask(url, source="127.0.0.2")[0] for _ in range(3)] == [200, 200, 429]
        assert ask(url, source="127.0.0.3")[0] == 200


def test_forwarded_for_counts_only_from_trusted_proxies(web_db: Path, tmp_path: Path) -> None:
    env = env_for(web_db, tmp_path, NL2SQL_TRUSTED_PROXIES="127.0.0.1/32")
    with gunicorn(env, tmp_path / "gunicorn.log") as url:
        # 127.0.0.1 is the trusted proxy: the client is the address it forwards.
        assert [ask(url, forwarded_for="198.51.100.1")[0] for _ in range(3)] == [200, 200, 429]
        assert ask(url, forwarded_for="198.51.100.2")[0] == 200
        # What the client put in front of the proxy's entry is not believed.
        assert ask(url, forwarded_for="198.51.100.2, 198.51.100.1")[0] == 429
        # 127.0.0.2 is not trusted: its header is ignored, its own address counts.
        assert [ask(url, "127.0.0.2", "198.51.100.3")[0] for _ in range(3)] == [200, 200, 429]
        assert ask(url, "127.0.0.2", "198.51.100.4")[0] == 429


def test_a_proxy_count(web_db: Path, tmp_path: Path) -> None:
    env = env_for(web_db, tmp_path, NL2SQL_TRUSTED_PROXIES="1")
    with gunicorn(env, tmp_path / "gunicorn.log") as url:
        assert [ask(url, forwarded_for="10.9.9.9, 192.0.2.7")[0] for _ in range(3)] == [
            200, 200, 429]
        assert ask(url, forwarded_for="192.0.2.8")[0] == 200


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("10.0.0.2", "", "10.0.0.2"),
    ("10.0.0.2", "1.1.1.1", "1.1.1.1"),
    ("10.0.0.2", "1.1.1.1, 10.0.0.3", "1.1.1.1"),
    ("10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4"),
    ("10.0.0.2", "garbage, 10.0.0.3", "10.0.0.3"),
    ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ("8.8.8.8", "1.1.1.1", "8.8.8.8"),
])
def test_client_address(peer: str, forwarded: str, expected: str) -> None:
    trusted = parse("10.0.0.0/8")
    assert isinstance(trusted, tuple)
    assert client_address(peer, forwarded, trusted) == expected


def test_a_bad_setting_is_a_clear_error() -> None:
    from nl2sql.errors import ConfigError

    with pytest.raises(ConfigError, match="NL2SQL_TRUSTED_PROXIES"):
        parse("10.0.0.0/33")
