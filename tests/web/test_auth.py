"""Bearer tokens on the API when configured; IAP's user header; users kept apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nl2sql.web.auth import token_user

TOKENS = ("t0ken-alpha", "t0ken-beta")


@pytest.fixture
def locked(make_app: Callable[..., Flask]) -> FlaskClient:
    return make_app(api_tokens=TOKENS).test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("headers", [
    {}, bearer("wrong"), {"Authorization": "Basic dDBrZW4tYWxwaGE="}, {"Authorization": "Bearer"},
])
def test_api_needs_a_valid_token(locked: FlaskClient, headers: dict[str, str]) -> None:
    for r in (locked.get("/api/datasets", headers=headers),
              locked.post("/api/ask", json={"question": "q"}, headers=headers),
              locked.post("/api/ask/stream", json={"question": "q"}, headers=headers)):
        assert r.status_code == 401
        assert r.json["ok"] is False and r.json["status"] == 401 and "bearer" in r.json["error"]
        assert r.headers["WWW-Authenticate"] == "Bearer"


def test_a_valid_token_works_and_health_and_page_stay_open(locked: FlaskClient) -> None:
    assert locked.get("/api/datasets", headers=bearer(TOKENS[1])).status_code == 200
    assert locked.get("/healthz").status_code == 200
    assert locked.get("/metrics").status_code == 200
    assert locked.get("/").status_code == 200  # the page asks for a token itself


def test_each_token_is_its_own_user(locked: FlaskClient) -> None:
    a = locked.post("/api/ask", json={"question": "How many orders are there?"},
                    headers=bearer(TOKENS[0])).json
    assert locked.get(f"/api/answers/{a['answer_id']}", headers=bearer(TOKENS[0])).status_code \
        == 200
    assert locked.get(f"/api/answers/{a['answer_id']}", headers=bearer(TOKENS[1])).status_code \
        == 404


def test_iap_user_header(client: FlaskClient) -> None:
    ann = {"X-Goog-Authenticated-User-Email": "accounts.google.com:ann@example.com"}
    a = client.post("/api/ask", json={"question": "How many orders are there?"},
                    headers=ann).json
    assert client.get(f"/api/answers/{a['answer_id']}", headers=ann).status_code == 200
    # Without the header the request is someone else (anonymous).
    assert client.get(f"/api/answers/{a['answer_id']}").status_code == 404


def test_token_users_are_hashes() -> None:
    user = token_user("t0ken-alpha")
    assert user.startswith("token:") and "alpha" not in user and len(user) == 18


def test_every_token_is_compared_whichever_matches(locked: FlaskClient,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """No early exit on a match: the time taken must not tell which token (if any) it was."""
    import hmac

    calls: list[bytes] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append(b)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    for headers in (bearer(TOKENS[0]), bearer(TOKENS[1]), bearer("wrong")):
        calls.clear()
        locked.get("/api/datasets", headers=headers)
        assert calls == [t.encode() for t in TOKENS]
