"""Malformed input on every endpoint, through real gunicorn (as `nl2sql serve` runs
it): a clear 4xx in the JSON envelope, decided before any work, and nothing lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.servers import gunicorn, http, raw_request

pytestmark = pytest.mark.slow

HOST = b"Host: 127.0.0.1\r\nConnection: close\r\n"


@pytest.fixture(scope="module")
def url(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("bad-input")
    env = {"NL2SQL_WAREHOUSE": f"duckdb:///{web_db}", "NL2SQL_MODEL": "offline",
           "NL2SQL_STATE_DB": str(tmp / "state.sqlite3"), "NL2SQL_RATE_LIMIT": "100/minute",
           "SLACK_SIGNING_SECRET": "s3cret"}
    with gunicorn(env, tmp / "gunicorn.log") as base:
        yield base


def post_json(body: bytes, path: bytes = b"/api/ask") -> bytes:
    return (b"POST " + path + b" HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def envelope(status: int, body: bytes) -> str:
    data = json.loads(body)
    assert data["ok"] is False and data["status"] == status, data
    assert isinstance(data["error"], str) and "Traceback" not in data["error"]
    return str(data["error"])


@pytest.fixture(scope="module")
def conversation(url: str) -> dict:
    status, _, body = http("POST", f"{url}/api/ask", {"question": "How many orders are there?"})
    assert status == 200, body
    answer: dict = json.loads(body)
    return answer


def answers_in(url: str, conversation_id: str) -> int:
    status, _, body = http("GET", f"{url}/api/conversations/{conversation_id}")
    assert status == 200, body
    return len(json.loads(body)["answers"])


BAD_BODIES = {
    "deep JSON": b"[" * 60_000,
    "deep objects": b'{"question": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5000 + b"}",
    "lone surrogate": b'{"question": "How many \\ud800 orders?", "conversation_id": "%s"}',
    "NUL character": b'{"question": "How many orders\\u0000?", "conversation_id": "%s"}',
    "invalid UTF-8": b'{"question": "How many orders \xff\xfe?", "conversation_id": "%s"}',
    "not JSON": b'{"question": ',
    "huge number": b'{"question": ' + b"9" * 50_000 + b"}",
    "number for question": b'{"question": 42, "conversation_id": "%s"}',
    "list for body": b'["How many orders are there?"]',
    "object for conversation id": b'{"question": "How many orders?", "conversation_id": {}}',
}


@pytest.mark.parametrize("kind", BAD_BODIES)
@pytest.mark.parametrize("path", [b"/api/ask", b"/api/ask/stream"])
def test_bad_json_bodies_are_400_and_change_nothing(url: str, conversation: dict, kind: str,
                                                    path: bytes) -> None:
    conversation_id = conversation["conversation_id"]
    before = answers_in(url, conversation_id)
    body = BAD_BODIES[kind].replace(b"%s", conversation_id.encode())
    status, response = raw_request(url, post_json(body, path))
    assert status == 400, response
    envelope(400, response)
    assert answers_in(url, conversation["conversation_id"]) == before
    # The conversation still takes a good question (nothing was half-written).
    status, _, ok = http("POST", f"{url}/api/ask", {"question": "How many orders are there?",
                                                     "conversation_id": conversation_id})
    assert status == 200, ok
    assert answers_in(url, conversation["conversation_id"]) == before + 1


def test_the_errors_say_what_is_wrong(url: str) -> None:
    assert "nests more than" in envelope(400, raw_request(url, post_json(b"[" * 60_000))[1])
    surrogate = raw_request(url, post_json(b'{"question": "a \\udc80 b"}'))[1]
    assert "surrogate" in envelope(400, surrogate) and "'question'" in envelope(400, surrogate)
    assert "NUL" in envelope(400, raw_request(url, post_json(b'{"question": "a\\u0000"}'))[1])
    assert "UTF-8" in envelope(400, raw_request(url, post_json(b'{"question": "\xc3("}'))[1])


@pytest.mark.parametrize("target", [
    b"/api/ask/stream?question=%ED%A0%80",  # an encoded surrogate: not UTF-8
    b"/api/ask/stream?question=orders%00",
    b"/api/ask/stream?question=%FF%FE",
    b"/api/answers/%FF",
    b"/api/conversations/%C0%AF",
    b"/?x=%00",
])
def test_bad_urls_are_400(url: str, target: bytes) -> None:
    status, body = raw_request(url, b"GET " + target + b" HTTP/1.1\r\n" + HOST + b"\r\n")
    assert status == 400, body
    envelope(400, body)


@pytest.mark.parametrize("target", [b"/api/ask/stream?question=" + b"q" * 9_000,
                                    b"/api/answers/" + b"a" * 100_000, b"/?" + b"%FF" * 3000])
def test_an_overlong_url_is_414_in_the_envelope(url: str, target: bytes) -> None:
    status, body = raw_request(url, b"GET " + target + b" HTTP/1.1\r\n" + HOST + b"\r\n")
    assert status == 414, body
    assert "URL" in envelope(414, body)


def test_oversized_headers_are_431_and_malformed_requests_400(url: str) -> None:
    status, body = raw_request(url, b"GET /healthz HTTP/1.1\r\n" + HOST
                               + b"X-Big: " + b"a" * 20_000 + b"\r\n\r\n")
    assert status == 431 and envelope(431, body)
    status, body = raw_request(url, b"GET /healthz HTTP/1.1\r\n" + HOST
                               + b"Bad Header\r\n\r\n")
    assert status == 400 and envelope(400, body)


def test_a_huge_body_is_413_without_being_read(url: str, conversation: dict) -> None:
    before = answers_in(url, conversation["conversation_id"])
    question = "How many orders are there? " * 10_000
    status, _, body = http("POST", f"{url}/api/ask", {
        "question": question, "conversation_id": conversation["conversation_id"]})
    assert status == 413 and "larger than" in envelope(413, body)
    # Chunked, so no Content-Length announces it: the cap still holds while reading.
    chunk = b"[" + b"1," * 50_000 + b"1]"
    request = (b"POST /api/ask HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n"
               + f"{len(chunk):x}".encode() + b"\r\n" + chunk + b"\r\n0\r\n\r\n")
    status, body = raw_request(url, request)
    assert status == 413, body
    envelope(413, body)
    assert answers_in(url, conversation["conversation_id"]) == before


def test_slack_form_with_bad_bytes_is_400(url: str) -> None:
    form = b"text=orders%FF&team_id=T1&channel_id=C1&user_id=U1&response_url=x"
    request = (b"POST /slack/commands HTTP/1.1\r\n" + HOST
               + b"Content-Type: application/x-www-form-urlencoded\r\n"
               + b"Content-Length: " + str(len(form)).encode() + b"\r\n\r\n" + form)
    status, body = raw_request(url, request)
    assert status == 400 and "UTF-8" in envelope(400, body)
