"""`nl2sql mcp --http`: a real server process on a free port, driven by the mcp SDK's
streamable-HTTP client and by plain HTTP requests for what a client must not get."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from nl2sql.tokens import token_user
from nl2sql.tools import declarations
from tests.mcp.conftest import ALLOWED, FORBIDDEN, digest, http_server, server_env

pytestmark = pytest.mark.slow
T = TypeVar("T")
TOKENS = ("alpha-token", "beta-token", "gamma-token")
ALLOWED_ORIGIN = "https://notebook.example.com"
PUBLIC_URL = "https://data.corp.example"  # the name users reach the service by
PROXIED_HOST = "mcp.corp.example:8443"  # a Host a reverse proxy passes on
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {},
    "clientInfo": {"name": "raw-test", "version": "0"}}}


@pytest.fixture(scope="module")
def server(mcp_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One server for the module; yields its URL and its log file."""
    tmp = tmp_path_factory.mktemp("mcp-http")
    env = server_env(tmp, NL2SQL_API_TOKENS=",".join(TOKENS), NL2SQL_RATE_LIMIT="5/minute",
                     NL2SQL_MCP_ALLOWED_ORIGINS=ALLOWED_ORIGIN, NL2SQL_PUBLIC_URL=PUBLIC_URL,
                     NL2SQL_MCP_ALLOWED_HOSTS=PROXIED_HOST)
    log = tmp / "server.log"
    with http_server(mcp_db, env, log) as url:
        yield url, log


def session(url: str, body: Callable[[Client], Awaitable[T]], mode: str = "auto",
            **headers: str) -> T:
    async def main() -> T:
        async with httpx2.AsyncClient(headers=headers, timeout=60) as http, \
                Client(streamable_http_client(url, http_client=http), mode=mode) as client:
            return await body(client)

    return anyio.run(main)


def raw_post(url: str, body: Any, **headers: str) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
        **headers})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, dict(e.headers), e.read()


def text(result: Any) -> str:
    return "".join(block.text for block in result.content)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def ignore_progress(done: float, total: float | None, message: str | None) -> None:
    pass


def test_tools_over_http_with_a_token(server: tuple[str, Path], mcp_db: Path) -> None:
    url, log = server
    before = digest(mcp_db)

    async def body(client: Client) -> dict[str, Any]:
        return {
            "tools": [t.name for t in (await client.list_tools()).tools],
            "table": await client.call_tool("get_table", {"table_id": f"{ALLOWED}.users"}),
            "safe": await client.call_tool("sql_query", {
                "query": f"SELECT COUNT(*) AS n FROM {ALLOWED}.users"}),
            "unsafe": await client.call_tool("sql_query", {
                "query": f"DROP TABLE {ALLOWED}.users"}),
            "forbidden": await client.call_tool("sql_query", {
                "query": f"SELECT * FROM {FORBIDDEN}.salaries"}),
            # A client asking for progress still gets its answer (JSON responses over
            # HTTP have no stream to carry progress on).
            "ask": await client.call_tool("ask", {"question": "How many users are there?"},
                                          progress_callback=ignore_progress),
        }

    got = session(url, body, **bearer(TOKENS[1]))
    assert got["tools"] == [d["name"] for d in declarations()] + ["get_metrics", "ask"]
    assert not got["table"].is_error
    assert {c["name"] for c in got["table"].structured_content["columns"]} >= {"id", "country"}
    assert not got["safe"].is_error
    (count,) = got["safe"].structured_content["rows"][0]
    assert count > 0
    assert got["unsafe"].is_error and "read-only" in text(got["unsafe"])
    assert got["forbidden"].is_error
    assert f"`{FORBIDDEN}.salaries` is outside the allowed datasets" in text(got["forbidden"])
    assert digest(mcp_db) == before
    assert not got["ask"].is_error, text(got["ask"])
    assert got["ask"].structured_content["rows"] == [[count]]

    # Audit: one JSON line per call, under the token's user, never the token itself.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    calls = [r for r in lines if r.get("message") == "mcp_call"]
    assert {c["tool"] for c in calls} >= {"get_table", "sql_query", "ask"}
    assert all(c["user"] == token_user(TOKENS[1]) and c["interface"] == "mcp" for c in calls)
    refused = [c for c in calls if c["tool"] == "sql_query" and not c["ok"]]
    assert refused and "read-only" in refused[0]["error"]
    assert TOKENS[1] not in log.read_text()


@pytest.mark.parametrize("headers", [{}, bearer("wrong-token"), {"Authorization": "Basic eA=="}],
                         ids=["none", "wrong", "basic"])
def test_without_a_valid_token_the_server_answers_401(
        server: tuple[str, Path], headers: dict[str, str]) -> None:
    status, response_headers, body = raw_post(server[0], INIT, **headers)
    assert status == 401, body
    assert response_headers.get("www-authenticate", "").lower().startswith("bearer")
    assert b"Traceback" not in body


def test_a_foreign_origin_is_refused(server: tuple[str, Path]) -> None:
    url = server[0]
    status, _, _ = raw_post(url, INIT, Origin="https://evil.example", **bearer(TOKENS[0]))
    assert status == 403
    # DNS rebinding: a page of evil.example whose name now points at 127.0.0.1.
    port = url.split(":")[2].split("/")[0]
    status, _, _ = raw_post(url, INIT, Host=f"evil.example:{port}", **bearer(TOKENS[0]))
    assert status == 421
    # The server's own origin, the public URL's and the configured one are served.
    for origin in (url.rsplit("/", 1)[0], PUBLIC_URL, ALLOWED_ORIGIN):
        status, _, body = raw_post(url, INIT, Origin=origin, **bearer(TOKENS[0]))
        assert status == 200, (origin, body)
    # So are the names it is reached by: the public URL's host and configured hosts.
    for host in ("data.corp.example", PROXIED_HOST):
        status, _, body = raw_post(url, INIT, Host=host, **bearer(TOKENS[0]))
        assert status == 200, (host, body)


def test_rate_limit_is_per_user(server: tuple[str, Path]) -> None:
    async def body(client: Client) -> list[Any]:
        return [await client.call_tool("sql_query", {"query": "SELECT 1 AS one"})
                for _ in range(6)]

    results = session(server[0], body, **bearer(TOKENS[2]))
    assert [r.is_error for r in results] == [False] * 5 + [True]
    assert text(results[-1]).startswith("too many questions: the limit is 5 per minute")

    async def other(client: Client) -> Any:  # another token is another user
        return await client.call_tool("sql_query", {"query": "SELECT 1 AS one"})

    assert not session(server[0], other, **bearer(TOKENS[0])).is_error


def test_without_tokens_the_server_is_open(mcp_db: Path, tmp_path: Path) -> None:
    with http_server(mcp_db, server_env(tmp_path), tmp_path / "open.log") as url:
        async def body(client: Client) -> Any:
            return await client.call_tool("list_datasets", {})

        # Clients of both protocol eras: the 2026 one and the initialize handshake.
        results = [session(url, body, mode=mode) for mode in ("auto", "legacy")]
    for result in results:
        assert not result.is_error
        assert [d["dataset_id"] for d in result.structured_content["datasets"]] == [ALLOWED]
