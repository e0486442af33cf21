"""Warehouses: the Warehouse interface and its DuckDB and BigQuery implementations."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from nl2sql.config import Settings
from nl2sql.errors import ConfigError
from nl2sql.warehouse.base import Warehouse


def open_warehouse(settings: Settings) -> Warehouse:
    """Open the warehouse named by ``settings.warehouse`` (a URL)."""
    url = settings.warehouse
    parsed = urlparse(url)
    if parsed.scheme == "duckdb":
        from nl2sql.warehouse.duckdb import DuckDBWarehouse

        # duckdb:///relative/path and duckdb:////absolute/path, like SQLAlchemy.
        path = url[len("duckdb:///"):] if url.startswith("duckdb:///") else parsed.path
        return DuckDBWarehouse(path, settings)
    if parsed.scheme == "bigquery":
        from nl2sql.warehouse.bigquery import BigQueryWarehouse

        if not parsed.netloc:
            raise ConfigError(f"{url!r}: give the project, e.g. bigquery://my-project?location=US")
        location = next(iter(parse_qs(parsed.query).get("location", [])), None)
        return BigQueryWarehouse(parsed.netloc, location, settings)
    raise ConfigError(
        f"unknown warehouse {url!r}: use duckdb:///path/file.duckdb or bigquery://PROJECT"
    )
