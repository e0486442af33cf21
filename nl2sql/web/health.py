"""``GET /readyz``: whether this instance can answer questions now (see
``nl2sql.readiness``); 200 when every check passes, else 503 naming what is wrong.
``/healthz`` stays the cheap liveness check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
from flask.blueprints import BlueprintSetupState

from nl2sql.readiness import Readiness
from nl2sql.web.services import services

bp = Blueprint("health", __name__)
_EXT = "nl2sql.readiness"


@bp.record_once
def _build(state: BlueprintSetupState) -> None:
    s = services(state.app)
    state.app.extensions[_EXT] = Readiness(s.runtime, s.db.path or s.db.url)


def readiness(app: Flask) -> Readiness:
    found: Readiness = app.extensions[_EXT]
    return found


@bp.get("/readyz")
def readyz() -> Any:
    checks = readiness(current_app).checks()
    shown = {name: "ok" if problem is None else problem for name, problem in checks.items()}
    problems = [p for p in checks.values() if p]
    if not problems:
        return jsonify({"ok": True, "status": "ready", "checks": shown})
    response = jsonify({"ok": False, "error": "not ready: " + "; ".join(problems),
                        "status": 503, "checks": shown})
    response.status_code = 503
    return response
