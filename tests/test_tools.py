"""The toolbox on its own: the dataset allowlist applies to metadata exactly as to SQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nl2sql.config import Settings
from nl2sql.errors import BadRequest, NotFound, UnsafeSQL
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


@pytest.mark.parametrize("args, message", [
    ({"table_id": "shop.customers", "dataset": "shop"}, "unexpected 'dataset'; get_table takes"),
    ({}, "'table_id' is a required property"),
    ({"table_id": 5}, "table_id: 5 is not of type 'string'"),
    ({"table_id": "customers"}, "must look like 'dataset.table'"),
])
def test_bad_arguments_get_an_error_the_model_can_act_on(toolbox: Toolbox, args: dict[str, Any],
                                                         message: str) -> None:
    with pytest.raises(BadRequest) as info:
        toolbox.call("get_table", args)
    assert message in info.value.message


def test_unexpected_arguments_are_refused_for_every_function(toolbox: Toolbox) -> None:
    for name in ("list_datasets", "list_tables", "get_table", "sql_query"):
        with pytest.raises(BadRequest, match="unexpected 'oops'"):
            toolbox.call(name, {"oops": 1})


def test_result_bytes_are_capped_with_a_reason(toolbox: Toolbox) -> None:
    wh = toolbox.warehouse
    tools = Toolbox(wh, Settings(allowed_datasets=("shop",), max_result_bytes=2000,
                                 max_cell_bytes=100))
    wide = tools.call("sql_query", {"query": "SELECT REPEAT('x', 5000) AS s, id "
                                             "FROM shop.purchases ORDER BY id LIMIT 3"})
    assert wide.payload["truncated"] and wide.payload["truncated_reason"] == "cell"
    assert [len(r[0].encode()) <= 100 for r in wide.payload["rows"]] == [True] * 3
    many = tools.call("sql_query", {"query": "SELECT id, status FROM shop.purchases"})
    assert many.payload["truncated_reason"] == "bytes"
    assert len(json.dumps(many.payload["rows"])) <= 2000
    assert many.payload["rows"][0] == [1, "Paid"] and "total_rows" not in many.payload
    # The answer's rows are the capped ones: nothing larger reaches the state (the
    # model sees the first of them, nl2sql/model_view.py).
    assert many.result is not None and len(json.dumps(many.result.rows)) <= 2000
    assert many.result.rows[:len(many.payload["rows"])] == many.payload["rows"]
    small = Toolbox(wh, Settings(allowed_datasets=("shop",), max_rows=5))
    rows = small.call("sql_query", {"query": "SELECT id FROM shop.purchases"})
    assert rows.payload["truncated_reason"] == "rows"
