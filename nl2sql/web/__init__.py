"""The Flask app: ``create_app(settings=None)`` builds it; nothing reads env at import.

Each interface is a blueprint module listed in ``BLUEPRINTS`` exposing ``bp``;
adding one (Slack) is one more name there. Shared state lives in
``nl2sql.service.Services`` (``nl2sql.web.services.services()`` inside a request).
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask

from nl2sql.config import Settings
from nl2sql.runtime import Runtime
from nl2sql.state import StateDB

#: blueprint modules under nl2sql.web, registered in this order
BLUEPRINTS = ("api", "health", "stream", "export", "pages", "slack", "knowledge")
MAX_BODY_BYTES = 64 * 1024


def create_app(settings: Settings | None = None, runtime: Runtime | None = None, *,
               state_db: StateDB | None = None,
               conversation_ttl_s: float | None = None) -> Flask:
    """Build the app. ``runtime`` injects a warehouse/model (tests); ``state_db``
    overrides ``settings.state_db`` (e.g. ``StateDB(":memory:")``)."""
    from nl2sql.service import Services
    from nl2sql.web import auth, errors, inputs, logs, pages, proxies
    from nl2sql.web.services import EXTENSION

    app = Flask(__name__, static_folder=None)
    settings = settings or (runtime.settings if runtime else Settings.from_env())
    runtime = runtime or Runtime(settings)
    app.config["NL2SQL_RUNTIME"] = runtime
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    # The client address behind trusted proxies, before anything reads it.
    app.wsgi_app = proxies.wrap(  # type: ignore[method-assign,assignment]
        app.wsgi_app, runtime.settings.trusted_proxies)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep answer fields in order
    app.extensions[EXTENSION] = Services.build(runtime, state_db=state_db,
                                               conversation_ttl_s=conversation_ttl_s)

    # Request id and timing first, then the user, so every log line has both;
    # malformed input is refused before anything else looks at it.
    logs.register(app)
    inputs.register(app)
    auth.register(app, runtime.settings)
    errors.register(app)
    pages.register_headers(app)
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"nl2sql.web.{name}").bp)
    return app


def runtime_of(app: Any) -> Runtime:
    runtime: Runtime = app.config["NL2SQL_RUNTIME"]
    return runtime
