"""One place turns every error into the JSON envelope ``{ok: false, error, status}``.

Users get a sentence and a status, never a traceback: unexpected exceptions are
logged with their traceback and answered with a bare "internal error".
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import (
    HTTPException,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
)

from nl2sql.errors import Nl2SqlError
from nl2sql.web.logs import event
from nl2sql.web.services import services

log = logging.getLogger(__name__)


def envelope(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify({"ok": False, "error": message, "status": status})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def count(status: int, kind: str) -> None:
    services().metrics.count_error(status, kind)


def error_headers(e: Nl2SqlError) -> dict[str, str]:
    retry = e.details.get("retry_after_s")
    return {"Retry-After": str(int(retry))} if retry else {}


def register(app: Flask) -> None:
    @app.errorhandler(Nl2SqlError)
    def _ours(e: Nl2SqlError) -> Any:
        count(e.status, type(e).__name__)
        event("error", logging.WARNING if e.status < 500 else logging.ERROR,
              status=e.status, kind=type(e).__name__, error=e.message)
        return envelope(e.status, e.public_message, error_headers(e))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException) -> Any:
        status = e.code or 500
        message = e.description or "request failed"
        if isinstance(e, RequestEntityTooLarge):
            message = f"request body is larger than {app.config['MAX_CONTENT_LENGTH']} bytes"
        elif isinstance(e, MethodNotAllowed):
            # werkzeug's "The method is not allowed for the requested URL." names neither.
            allowed = [m for m in e.valid_methods or () if m not in ("HEAD", "OPTIONS")]
            message = f"{request.method} is not allowed on {request.path}"
            if allowed:
                message += f"; use {' or '.join(allowed)}"
        elif isinstance(e, NotFound) and e.description == NotFound.description:
            # werkzeug's default text asks the caller to check their spelling.
            message = f"no such page or endpoint: {request.path}"
        # Keep protocol headers werkzeug attaches (Allow, WWW-Authenticate).
        headers = {k: v for k, v in e.get_headers() if k.lower() != "content-type"}
        count(status, type(e).__name__)
        return envelope(status, message, headers)

    @app.errorhandler(sqlite3.DatabaseError)
    @app.errorhandler(SQLAlchemyError)  # the state layer's errors, SQLite or PostgreSQL
    def _state(e: Exception) -> Any:
        # A damaged, locked-out or read-only state file: say so (GET /readyz says
        # the same to the orchestrator) rather than a bare "internal error".
        log.exception("state database error", extra={"fields": {"kind": type(e).__name__}})
        count(503, type(e).__name__)
        return envelope(503, "the service cannot use its state database right now; "
                             "try again later", {"Retry-After": "30"})

    @app.errorhandler(Exception)
    def _unexpected(e: Exception) -> Any:
        log.exception("unhandled error", extra={"fields": {"kind": type(e).__name__}})
        count(500, type(e).__name__)
        return envelope(500, "internal error", {})
