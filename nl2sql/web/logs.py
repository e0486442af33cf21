"""Structured JSON logs: one object per line with a request id and the user.

Records carry their fields in ``extra={"fields": {...}}`` so tests can read
them from ``caplog`` and the formatter can render them. Nothing here logs
headers, tokens or secrets: fields are chosen by the caller, never dumped.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from typing import Any

from flask import Flask, Response, g, request

from nl2sql.web.services import services

log = logging.getLogger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                    + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            # Tracebacks go to the log (for us), never into a response (for users).
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """Send ``nl2sql.*`` logs to stderr as JSON lines (gunicorn entry point)."""
    root = logging.getLogger("nl2sql")
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False


def event(message: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``message`` with structured ``fields`` (plus the current request's id and user)."""
    log.log(level, message, extra={"fields": {**request_fields(), **fields}})


def request_fields() -> dict[str, Any]:
    try:
        return {"request_id": g.request_id, "user": g.user}
    except (AttributeError, RuntimeError):  # outside a request, or before auth ran
        return {}


def register(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "")
        seconds = time.perf_counter() - g.get("started", time.perf_counter())
        route = request.url_rule.rule if request.url_rule else "unmatched"
        services().metrics.record_request(request.method, route, response.status_code, seconds)
        event("request", method=request.method, path=request.path, route=route,
              status=response.status_code, seconds=round(seconds, 4),
              request_id=g.get("request_id"), user=g.get("user"))
        return response
