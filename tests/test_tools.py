"""The toolbox on its own: the dataset allowlist applies to metadata exactly as to SQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nl2sql.config import Settings
from nl2sql.errors import NotFound, UnsafeSQL
from nl2sql.tools import Toolbox
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.shop import build_shop


@pytest.fixture
def toolbox(tmp_path: Path) -> Iterator[Toolbox]:
    wh = DuckDBWarehouse(build_shop(tmp_path))
    yield Toolbox(wh, Settings(allowed_datasets=("shop",)))
    wh.close()


def test_metadata_allowlist_is_spelled_exactly_like_the_gates(toolbox: Toolbox) -> None:
    assert [d["dataset_id"] for d in toolbox.call("list_datasets", {}).payload["datasets"]] == [
        "shop"]
    assert toolbox.call("get_table", {"table_id": "shop.customers"}).payload["row_count"] == 3
    # The gate refuses `SHOP.customers`; metadata must not describe what SQL may not read.
    with pytest.raises(UnsafeSQL, match="outside the allowed datasets"):
        toolbox.call("sql_query", {"query": "SELECT COUNT(*) FROM SHOP.customers"})
    with pytest.raises(NotFound):
        toolbox.call("list_tables", {"dataset_id": "SHOP"})
    with pytest.raises(NotFound):
        toolbox.call("get_table", {"table_id": "Shop.customers"})
    with pytest.raises(NotFound):
        toolbox.call("get_table", {"table_id": "secret.salaries"})
