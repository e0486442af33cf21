"""Bearer tokens on the API when configured; IAP users from IAP's signed JWT; users
kept apart."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nl2sql.web.auth import token_user
from nl2sql.web.iap import JWT_HEADER, IapVerifier, InvalidIdentity
from tests.web.iap import FakeIap, serving

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
    assert locked.get("/healthz").json["auth"] == "bearer"  # the page asks for a token first
    assert locked.get("/metrics").status_code == 200
    assert locked.get("/").status_code == 200  # the page asks for a token itself


def test_each_token_is_its_own_user(locked: FlaskClient) -> None:
    a = locked.post("/api/ask", json={"question": "How many orders are there?"},
                    headers=bearer(TOKENS[0])).json
    assert locked.get(f"/api/answers/{a['answer_id']}", headers=bearer(TOKENS[0])).status_code \
        == 200
    assert locked.get(f"/api/answers/{a['answer_id']}", headers=bearer(TOKENS[1])).status_code \
        == 404


def test_iap_user_is_the_email_in_the_signed_jwt(client: FlaskClient, iap: FakeIap,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="nl2sql")
    ann = iap.headers("ann@example.com")
    a = client.post("/api/ask", json={"question": "How many orders are there?"},
                    headers=ann).json
    assert client.get(f"/api/answers/{a['answer_id']}", headers=ann).status_code == 200
    assert [r.fields["user"] for r in caplog.records  # type: ignore[attr-defined]
            if r.getMessage() == "answer"] == ["ann@example.com"]
    # Without IAP's JWT the request is someone else (anonymous) ...
    assert client.get(f"/api/answers/{a['answer_id']}").status_code == 404
    # ... and IAP's plain header alone, which any client can send, names nobody.
    forged = {"X-Goog-Authenticated-User-Email": "accounts.google.com:ann@example.com"}
    assert client.get(f"/api/answers/{a['answer_id']}", headers=forged).status_code == 404


def test_a_token_holder_cannot_become_an_iap_user(locked: FlaskClient, iap: FakeIap) -> None:
    ann = iap.headers("ann@example.com")
    a = locked.post("/api/ask", json={"question": "How many orders are there?"},
                    headers={**bearer(TOKENS[0]), **ann}).json
    forged = {**bearer(TOKENS[1]), "X-Goog-Authenticated-User-Email": ann[
        "X-Goog-Authenticated-User-Email"]}
    assert locked.get(f"/api/answers/{a['answer_id']}", headers=forged).status_code == 404


@pytest.mark.parametrize("make_jwt", [
    lambda iap: FakeIap(kid=iap.kid).jwt("eve@example.com"),  # signed with another key
    lambda iap: iap.jwt("eve@example.com", expires_in=-120),
    lambda iap: iap.jwt("eve@example.com", issuer="https://accounts.google.com"),
    lambda iap: iap.jwt(""),
    lambda iap: "garbage-token-without-any-dots",
    lambda iap: _unsigned(iap.jwt("eve@example.com")),
], ids=["other-key", "expired", "issuer", "no-email", "garbage", "alg-none"])
def test_iap_jwts_that_do_not_verify_are_401(client: FlaskClient, iap: FakeIap,
                                             make_jwt: Callable[[FakeIap], str],
                                             caplog: pytest.LogCaptureFixture) -> None:
    token = make_jwt(iap)
    r = client.get("/api/datasets", headers={JWT_HEADER: token})
    assert r.status_code == 401 and r.json["ok"] is False and "IAP" in r.json["error"]
    assert "IAP JWT refused" in caplog.text and token not in caplog.text


def _unsigned(token: str) -> str:
    """The same claims with ``alg: none`` and no signature."""
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    return f"{header}.{token.split('.')[1]}."


def test_iap_keys_are_fetched_once_and_their_absence_is_503(
        make_app: Callable[..., Flask], iap: FakeIap) -> None:
    client = make_app().test_client()
    before = iap.fetches
    for email in ("ann@example.com", "bob@example.com", "ann@example.com"):
        assert client.get("/api/datasets", headers=iap.headers(email)).status_code == 200
    assert iap.fetches - before == 1
    app = make_app(iap_certs_url="http://127.0.0.1:9/unreachable")
    r = app.test_client().get("/api/datasets", headers=iap.headers("ann@example.com"))
    assert r.status_code == 503 and "IAP's public keys" in r.json["error"]


def test_rotated_iap_keys_are_fetched_again_at_most_once_a_minute() -> None:
    now = [1000.0]
    with serving(FakeIap(kid="old")) as fake:
        verifier = IapVerifier(fake.url, clock=lambda: now[0])
        assert verifier.email(fake.jwt("ann@example.com")) == "ann@example.com"
        rotated = FakeIap(kid="new")
        fake.kid, fake._keys = rotated.kid, rotated._keys  # IAP rotates its key
        with pytest.raises(InvalidIdentity):
            verifier.email(fake.jwt("ann@example.com"))  # unknown key id, keys just fetched
        now[0] += 61
        assert verifier.email(fake.jwt("ann@example.com")) == "ann@example.com"
        assert fake.fetches == 2


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


def test_iap_audience_setting_refuses_jwts_for_another_backend(
        make_app: Callable[..., Any], iap: FakeIap) -> None:
    ours = "/projects/1/global/backendServices/2"
    client = make_app(iap_audience=ours).test_client()
    r = client.get("/api/datasets", headers=iap.headers("ann@x.org"))
    assert r.status_code == 200
    r = client.get("/api/datasets", headers=iap.headers(
        "ann@x.org", aud="/projects/1/global/backendServices/99"))
    assert r.status_code == 401


def test_secrets_stay_out_of_the_settings_repr() -> None:
    from nl2sql.config import Settings

    s = Settings(api_tokens=("tok-123",), smtp_url="smtp://u:pw-456@h",
                 smtp_password="pw-789", slack_signing_secret="sec-0")
    assert not any(secret in repr(s) for secret in ("tok-123", "pw-456", "pw-789", "sec-0"))
