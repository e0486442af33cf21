"""A stand-in for Google IAP: an ES256 key pair, JWTs signed the way IAP signs
them, and a local HTTP server publishing the public key the way
``https://www.gstatic.com/iap/verify/public_key`` does (``{key id: PEM}``)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from google.auth import jwt
from google.auth.crypt import es256

from nl2sql.web.iap import IAP_ISSUER, JWT_HEADER
from tests.fakes.http import QuietHandler, local_server


def _key_pair() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


@dataclass
class FakeIap:
    """Signs IAP JWTs; ``url`` (once served) publishes the public keys."""

    kid: str = "iap-key-1"
    url: str = ""
    fetches: int = 0
    _keys: tuple[str, str] = field(default_factory=_key_pair)

    @property
    def certs(self) -> dict[str, str]:
        return {self.kid: self._keys[1]}

    def jwt(self, email: str, *, issuer: str = IAP_ISSUER, expires_in: float = 600,
            private_key: str | None = None, **claims: Any) -> str:
        now = int(time.time())
        signer = es256.ES256Signer.from_string(private_key or self._keys[0], key_id=self.kid)
        payload = {"iss": issuer, "aud": "/projects/1/global/backendServices/2", "sub": "1",
                   "email": email, "iat": now, "exp": int(now + expires_in), **claims}
        return jwt.encode(signer, payload).decode()

    def headers(self, email: str, **kwargs: Any) -> dict[str, str]:
        """What IAP adds to a request of ``email``: the JWT and the plain header."""
        return {JWT_HEADER: self.jwt(email, **kwargs),
                "X-Goog-Authenticated-User-Email": f"accounts.google.com:{email}"}


@contextmanager
def serving(iap: FakeIap) -> Iterator[FakeIap]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            iap.fetches += 1
            self.reply(200, "application/json", json.dumps(iap.certs).encode())

    with local_server(Handler) as base:
        iap.url = f"{base}/iap/verify/public_key"
        yield iap
