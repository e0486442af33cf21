"""WSGI entry point for gunicorn: ``gunicorn nl2sql.web.wsgi:app``.

Settings come from the environment here (and only here); logs are JSON lines.
"""

from nl2sql.web import create_app
from nl2sql.web.logs import configure_logging

configure_logging()
app = create_app()
