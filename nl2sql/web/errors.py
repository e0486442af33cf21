"""One place turns every error into the JSON envelope ``{ok: false, error, status}``."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from nl2sql.errors import Nl2SqlError

log = logging.getLogger("nl2sql.web")


def register(app: Flask) -> None:
    @app.errorhandler(Nl2SqlError)
    def _ours(e: Nl2SqlError):  # type: ignore[no-untyped-def]
        return jsonify(e.to_dict()), e.status

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):  # type: ignore[no-untyped-def]
        status = e.code or 500
        return jsonify({"ok": False, "error": e.description, "status": status}), status

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        return jsonify({"ok": False, "error": "internal error", "status": 500}), 500
