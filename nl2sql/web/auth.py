"""Who is asking, and may they.

- No ``NL2SQL_API_TOKENS``: the API is open (the local default).
- With tokens: every ``/api/`` request needs ``Authorization: Bearer <token>``.
- Behind Google IAP, the user is IAP's ``X-Goog-Authenticated-User-Email``
  (``accounts.google.com:alice@example.com``). IAP sets it on every request it
  lets through; the app must then be reachable only through IAP, since the
  header is taken as given.
- Otherwise the user is derived from the token (a hash, never the token) or is
  ``anonymous``. Conversations, answers and rate limits are per user.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from nl2sql.config import Settings

IAP_HEADER = "X-Goog-Authenticated-User-Email"
ANONYMOUS = "anonymous"
PROTECTED_PREFIX = "/api/"


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def token_user(token: str) -> str:
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:12]


def identify(settings: Settings) -> str:
    """The user of the current request; raises 401 when a required token is missing."""
    token = bearer_token()
    if settings.api_tokens and request.path.startswith(PROTECTED_PREFIX):
        # compare_digest against every token, with no short cut (a list, not any()
        # over a generator): timing says nothing about whether or which one matched.
        given = (token or "").encode()
        matches = [hmac.compare_digest(given, t.encode()) for t in settings.api_tokens]
        valid = token is not None and any(matches)
        if not valid:
            raise Unauthorized(
                "a valid bearer token is required: send 'Authorization: Bearer <token>'",
                www_authenticate=WWWAuthenticate("bearer"))
    iap = request.headers.get(IAP_HEADER, "").strip()
    if iap:
        return iap.split(":", 1)[1] if ":" in iap else iap
    if token and settings.api_tokens:
        return token_user(token)
    return ANONYMOUS


def register(app: Flask, settings: Settings) -> None:
    @app.before_request
    def _authenticate() -> None:
        g.user = ANONYMOUS
        g.user = identify(settings)
