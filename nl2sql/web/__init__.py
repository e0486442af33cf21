"""The Flask app: ``create_app(settings=None)`` builds it; nothing reads env at import."""

from __future__ import annotations

from typing import Any

from flask import Flask

from nl2sql.config import Settings
from nl2sql.runtime import Runtime


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)
    settings = settings or (runtime.settings if runtime else Settings.from_env())
    app.config["NL2SQL_RUNTIME"] = runtime or Runtime(settings)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024

    from nl2sql.web import api, errors, pages

    errors.register(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    return app


def runtime_of(app: Any) -> Runtime:
    runtime: Runtime = app.config["NL2SQL_RUNTIME"]
    return runtime
