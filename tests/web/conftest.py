"""Fixtures for the web app: a small warehouse, the analyst model, an app with
its state in ``tmp_path``, a Flask test client, and a local stand-in for
Google IAP (its signing keys), which every app is pointed at."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nl2sql.config import Settings
from nl2sql.models.base import Model
from nl2sql.runtime import Runtime
from nl2sql.web import create_app
from tests.web.fakes import AnalystModel, build_small_warehouse
from tests.web.iap import FakeIap, serving
from tests.web.openapi import ValidatingClient


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_warehouse(tmp_path_factory.mktemp("web") / "shop.duckdb")


@pytest.fixture(scope="session")
def iap() -> Iterator[FakeIap]:
    """Signs IAP JWTs (``iap.headers("ann@x.org")``) and serves IAP's public keys."""
    with serving(FakeIap()) as fake:
        yield fake


@pytest.fixture
def make_app(web_db: Path, tmp_path: Path, iap: FakeIap) -> Callable[..., Flask]:
    """``make_app(model=None, **settings)``: an app over the small warehouse."""
    runtimes: list[Runtime] = []

    def make(model: Model | None = None, **overrides: Any) -> Flask:
        values: dict[str, Any] = {"warehouse": f"duckdb:///{web_db}", "model": "analyst",
                                  "state_db": str(tmp_path / "state.sqlite3"), "max_rows": 100,
                                  "rate_limit": "100/minute", "iap_certs_url": iap.url}
        values.update(overrides)
        runtime = Runtime(Settings(**values), model=model or AnalystModel())
        runtimes.append(runtime)
        app = create_app(runtime=runtime)
        app.config["TESTING"] = True
        app.test_client_class = ValidatingClient
        return app

    yield make
    for r in runtimes:
        r.close()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
