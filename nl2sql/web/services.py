"""The app's ``Services`` (see ``nl2sql.service``), one per app in ``app.extensions``;
blueprints reach it through ``services()``. Nothing is global.
"""

from __future__ import annotations

from flask import current_app
from flask.sansio.app import App

from nl2sql.service import Services

EXTENSION = "nl2sql"


def services(app: App | None = None) -> Services:
    found: Services = (app or current_app).extensions[EXTENSION]
    return found
