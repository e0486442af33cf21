"""Fixtures: a real DuckDB warehouse, the app served over HTTP with a Slack secret,
and a ``response_url`` receiver."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from nl2sql.config import Settings
from nl2sql.models.base import Model
from nl2sql.runtime import Runtime
from nl2sql.web import create_app
from tests.shop import build_shop
from tests.slack.peers import SECRET, Peer, command_body, post, running, serve, sign

#: Tiny waits so retry tests take milliseconds, not Slack's seconds.
TEST_SETTINGS: dict[str, Any] = {
    "slack_workers": 4, "slack_waiting": 8, "slack_retry_backoff_s": (0.05, 0.05, 0.05, 0.05),
    "slack_post_timeout_s": 5}


@dataclass
class Served:
    app: Flask
    url: str
    runtime: Runtime

    def command(self, text: str, response_url: str, **fields: str) -> Any:
        body = command_body(text, response_url, **fields)
        return post(f"{self.url}/slack/commands", body, sign(body))

    def drain(self) -> None:
        """Wait until every command taken so far has been answered (or given up)."""
        _close_slack(self.app)


@pytest.fixture(scope="session")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shop(tmp_path_factory.mktemp("shop"))


@pytest.fixture
def receiver() -> Iterator[Peer]:
    with running(Peer()) as peer:
        yield peer


@pytest.fixture
def serve_app(tmp_path: Path, shop_db: Path) -> Iterator[Callable[..., Served]]:
    """``serve_app(model, **settings)``: the app with that model on the shop warehouse."""
    with ExitStack() as stack:

        def start(model: Model | None = None, **overrides: Any) -> Served:
            values: dict[str, Any] = {
                "warehouse": f"duckdb:///{shop_db}", "model": "offline",
                "state_db": str(tmp_path / "state.sqlite3"),
                "slack_signing_secret": SECRET, **TEST_SETTINGS, **overrides}
            runtime = Runtime(Settings(**values), model=model)
            app = create_app(runtime=runtime)
            url = stack.enter_context(serve(app))
            stack.callback(runtime.close)
            stack.callback(_close_slack, app)  # runs first: finish answers, then close
            return Served(app, url, runtime)

        yield start


def _close_slack(app: Flask) -> None:
    service = app.extensions.get("nl2sql.slack")
    if service is not None:
        service.close()
