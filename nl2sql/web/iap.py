"""Google IAP users, taken from IAP's signed JWT and never from a plain header.

IAP names the user in ``X-Goog-Authenticated-User-Email`` and also signs who
it is in ``X-Goog-IAP-JWT-Assertion`` (ES256, Google's public keys at
``NL2SQL_IAP_CERTS_URL``). The plain header is text any client can send wherever the
app is reachable other than through IAP (the local default included): trusting
it let anyone be any user, and dodge the per-user rate limit with a new name
on every request. So only a JWT that verifies counts: its signature against
IAP's current keys, its issuer and expiry and, when an audience is given, its
``aud``. Without an audience, a JWT that IAP issued for another app is
accepted, which still only ever names a real, signed-in Google user.

The keys are fetched once and kept for ``ttl_s``; a JWT signed with a key id
we do not know refetches them (IAP rotates keys), at most once a minute.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from google.auth import jwt
from google.auth.exceptions import GoogleAuthError

from nl2sql.errors import Nl2SqlError

IAP_ISSUER = "https://cloud.google.com/iap"
JWT_HEADER = "X-Goog-IAP-JWT-Assertion"
REFETCH_AFTER_S = 60.0
log = logging.getLogger(__name__)


class InvalidIdentity(Exception):
    """The JWT did not verify; the reason is for logs."""


class IdentityUnavailable(Nl2SqlError):
    """IAP's keys could not be fetched, so nobody behind IAP can be identified."""

    status = 503


class IapVerifier:
    def __init__(self, certs_url: str, *, audience: str | None = None,
                 ttl_s: float = 3600.0, timeout_s: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.certs_url = certs_url
        self.audience = audience
        self.ttl_s = ttl_s
        self.timeout_s = timeout_s
        self.clock = clock
        self._lock = threading.Lock()
        self._certs: dict[str, str] = {}
        self._fetched_at: float | None = None

    def email(self, assertion: str) -> str:
        """The user's email from a verified IAP JWT; ``InvalidIdentity`` otherwise."""
        try:
            header = jwt.decode_header(assertion)
        except (ValueError, GoogleAuthError, TypeError):
            # google-auth's message quotes the token, which is not for logs.
            raise InvalidIdentity("malformed JWT") from None
        # IAP signs with ES256; pinning it keeps the token from choosing another algorithm.
        if header.get("alg") != "ES256":
            raise InvalidIdentity(f"unexpected JWT algorithm {header.get('alg')!r}")
        certs = self._keys(str(header.get("kid") or ""))
        try:
            claims: dict[str, Any] = jwt.decode(assertion, certs=certs, audience=self.audience,
                                                clock_skew_in_seconds=30)
        except (ValueError, GoogleAuthError, TypeError) as e:
            raise InvalidIdentity(str(e)) from None
        if claims.get("iss") != IAP_ISSUER:
            raise InvalidIdentity(f"JWT issuer is {claims.get('iss')!r}, not IAP")
        email = claims.get("email")
        if not isinstance(email, str) or not email:
            raise InvalidIdentity("JWT carries no email")
        return email

    def _keys(self, kid: str) -> dict[str, str]:
        with self._lock:
            now = self.clock()
            age = None if self._fetched_at is None else now - self._fetched_at
            stale = age is None or age >= self.ttl_s
            if stale or (kid not in self._certs and age is not None and age >= REFETCH_AFTER_S):
                try:
                    self._certs = self._fetch()
                    self._fetched_at = now
                except IdentityUnavailable as e:
                    if not self._certs:
                        raise
                    # The keys we have still verify most JWTs; fetch again in a minute.
                    log.warning("keeping the IAP keys we have: %s", e.message)
                    self._fetched_at = now - self.ttl_s + REFETCH_AFTER_S
            return self._certs

    def _fetch(self) -> dict[str, str]:
        try:
            with urllib.request.urlopen(self.certs_url, timeout=self.timeout_s) as response:
                certs = json.loads(response.read())
        except (OSError, ValueError) as e:
            raise IdentityUnavailable(
                f"cannot fetch Google IAP's public keys to verify the user ({e})") from None
        if not isinstance(certs, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in certs.items()):
            raise IdentityUnavailable("Google IAP's public keys came in an unexpected format")
        return certs
