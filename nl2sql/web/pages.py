"""The page: static files from ``frontend/``, served from our own origin.

No CDN and no inline script or style, so the Content-Security-Policy can allow
only 'self'; charts arrive as SVG images rendered server-side (blob: URLs when
fetched with a bearer token).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, send_from_directory

bp = Blueprint("pages", __name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


def frontend_dir() -> Path:
    """The source tree's ``frontend/``, or a copy shipped inside the package."""
    local = Path(__file__).resolve().parents[2] / "frontend"
    if local.is_dir():
        return local
    return Path(str(resources.files("nl2sql") / "frontend"))


@bp.get("/")
def index() -> Any:
    return send_from_directory(frontend_dir(), "index.html", max_age=0)


@bp.get("/static/<path:filename>")
def static(filename: str) -> Any:
    # max_age=0 with ETags: browsers revalidate, so a deploy is seen at once.
    return send_from_directory(frontend_dir(), filename, max_age=0)


@bp.get("/favicon.ico")
def favicon() -> Any:
    return send_from_directory(frontend_dir(), "favicon.svg", mimetype="image/svg+xml")


def register_headers(app: Flask) -> None:
    @app.after_request
    def _security(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
