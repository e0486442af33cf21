"""Every query the web app runs is labelled with its interface and user, so the
warehouse (BigQuery hashes the user) can attribute cost to who asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from nl2sql.config import Settings
from nl2sql.runtime import Runtime
from nl2sql.warehouse.base import QueryResult
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from nl2sql.web import create_app
from tests.web.fakes import AnalystModel
from tests.web.iap import FakeIap


class LabelRecordingWarehouse(DuckDBWarehouse):
    """The real DuckDB warehouse, remembering the labels each query carried."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.labels: list[dict[str, str]] = []

    def query(self, sql: str, *, max_rows: int, timeout_s: float,
              labels: dict[str, str] | None = None) -> QueryResult:
        self.labels.append(dict(labels or {}))
        return super().query(sql, max_rows=max_rows, timeout_s=timeout_s, labels=labels)


def test_asks_and_exports_are_labelled_with_interface_and_user(
        web_db: Path, tmp_path: Path, iap: FakeIap) -> None:
    warehouse = LabelRecordingWarehouse(web_db)
    settings = Settings(warehouse=f"duckdb:///{web_db}", model="analyst",
                        state_db=str(tmp_path / "state.sqlite3"), iap_certs_url=iap.url)
    runtime = Runtime(settings, warehouse=warehouse, model=AnalystModel())
    app: Flask = create_app(runtime=runtime)
    client = app.test_client()
    headers: dict[str, Any] = iap.headers("ann@x.org")

    answer = client.post("/api/ask", json={"question": "List all orders"}, headers=headers).json
    assert warehouse.labels[-1] == {"interface": "web", "user": "ann@x.org"}
    assert client.get(answer["links"]["csv"], headers=headers).status_code == 200
    assert warehouse.labels[-1] == {"interface": "export", "user": "ann@x.org"}
    runtime.close()
