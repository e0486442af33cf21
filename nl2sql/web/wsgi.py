"""WSGI entry point for gunicorn: ``gunicorn nl2sql.web.wsgi:app``."""

from nl2sql.web import create_app

app = create_app()
