"""Who is asking, and may they.

- No ``NL2SQL_API_TOKENS``: the API is open (the local default).
- With tokens: every ``/api/`` request needs ``Authorization: Bearer <token>``.
- Behind Google IAP, the user is the email in IAP's signed JWT
  (``X-Goog-IAP-JWT-Assertion``, verified in ``nl2sql.web.iap``); a JWT that
  does not verify is 401. IAP's plain ``X-Goog-Authenticated-User-Email`` header
  is ignored: any client can send it, so it would let anyone be anyone.
- Otherwise the user is derived from the token (a hash, never the token) or is
  ``anonymous``. Conversations, answers and rate limits are per user.

IAP's keys come from ``NL2SQL_IAP_CERTS_URL`` (tests point it at a local server).
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from nl2sql.config import Settings
from nl2sql.tokens import token_matches, token_user
from nl2sql.web.iap import JWT_HEADER, IapVerifier, InvalidIdentity

ANONYMOUS = "anonymous"
PROTECTED_PREFIX = "/api/"
_EXT = "nl2sql.iap"
log = logging.getLogger(__name__)


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def iap_verifier(app: Flask) -> IapVerifier:
    """The app's one verifier (it caches IAP's keys)."""
    verifier: IapVerifier = app.extensions[_EXT]
    return verifier


def identify(settings: Settings) -> str:
    """The user of the current request; raises 401 when a required token is missing
    or an IAP JWT does not verify (503 when IAP's keys cannot be fetched)."""
    token = bearer_token()
    if (settings.api_tokens and request.path.startswith(PROTECTED_PREFIX)
            and not token_matches(token, settings.api_tokens)):
        raise Unauthorized(
            "a valid bearer token is required: send 'Authorization: Bearer <token>'",
            www_authenticate=WWWAuthenticate("bearer"))
    assertion = request.headers.get(JWT_HEADER, "").strip()
    if assertion:
        try:
            return iap_verifier(current_app).email(assertion)
        except InvalidIdentity as e:
            log.warning("IAP JWT refused from %s: %s", request.remote_addr, e)
            raise Unauthorized("the Google IAP identity (X-Goog-IAP-JWT-Assertion) "
                               "could not be verified") from None
    if token and settings.api_tokens:
        return token_user(token)
    return ANONYMOUS


def rate_key(user: str) -> str:
    """Whose rate-limit budget a request spends: the user's, or for anonymous users
    their client address (``REMOTE_ADDR``, made trustworthy by ``nl2sql.web.proxies``),
    so one anonymous client cannot lock out every other."""
    return f"{ANONYMOUS}@{request.remote_addr or 'unknown'}" if user == ANONYMOUS else user


def register(app: Flask, settings: Settings) -> None:
    app.extensions[_EXT] = IapVerifier(settings.iap_certs_url,
                                       audience=settings.iap_audience or None)

    @app.before_request
    def _authenticate() -> None:
        g.user = ANONYMOUS
        g.user = identify(settings)
        g.rate_key = rate_key(g.user)
