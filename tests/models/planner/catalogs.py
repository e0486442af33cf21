"""A planner catalog read from real tool outputs over a DuckDB file (the stage tests'
input: what list_tables and get_table return, optionally with knowledge keys added)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nl2sql.config import Settings
from nl2sql.models.base import FunctionCall, FunctionResponse
from nl2sql.models.planner.catalog import Catalog, Exchange, Round
from nl2sql.tools import Toolbox
from nl2sql.warehouse.duckdb import DuckDBWarehouse


def catalog_of(db: Path, dataset: str, extra: dict[str, Any] | None = None) -> Catalog:
    wh = DuckDBWarehouse(db)
    try:
        tools = Toolbox(wh, Settings())
        listed = {**tools.list_tables(dataset), **(extra or {})}
        exchanges = [Exchange(FunctionCall("list_tables", {"dataset_id": dataset}),
                              FunctionResponse("list_tables", {"output": listed}))]
        for t in listed["tables"]:
            tid = t["table_id"]
            exchanges.append(Exchange(FunctionCall("get_table", {"table_id": tid}),
                                      FunctionResponse("get_table",
                                                       {"output": tools.get_table(tid)})))
    finally:
        wh.close()
    return Catalog.from_round(Round("q", [], exchanges, 2))
