"""The Warehouse contract, run against DuckDB and BigQuery alike.

The same small dataset is loaded into a DuckDB file and into the BigQuery
emulator (through the official client); every test below runs on both, so the
tools, the agent and the answer service can rely on one behaviour. What only
one engine does (DuckDB's read-only file, BigQuery's dry run and byte caps)
stays in test_duckdb.py and test_bigquery.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from google.cloud import bigquery

from nl2sql.config import Settings
from nl2sql.errors import NotFound, QueryError
from nl2sql.tools import Toolbox
from nl2sql.warehouse import open_warehouse
from nl2sql.warehouse.base import Warehouse
from tests.fakes.bqemulator import PROJECT, Emulator

DATASET = "contract"
#: (column, BigQuery type, description) of the one table with data
ORDER_COLUMNS = (
    ("id", "INT64", "Order id"),
    ("status", "STRING", "Complete, Returned or Shipped"),
    ("customer", "STRING", ""),
    ("amount", "FLOAT64", ""),
    ("day", "DATE", ""),
    ("created_at", "TIMESTAMP", ""),
)
STATUSES = ["Complete"] * 20 + ["Returned"] * 8 + ["Shipped"] * 2
ORDERS = [{"id": i, "status": STATUSES[i], "customer": f"customer {i}", "amount": i + 0.25,
           "day": f"2024-01-{1 + i % 28:02d}", "created_at": f"2024-01-{1 + i % 28:02d}T10:00:00"}
          for i in range(30)]
DUCKDB_TYPES = {"INT64": "BIGINT", "STRING": "VARCHAR", "FLOAT64": "DOUBLE", "DATE": "DATE",
                "TIMESTAMP": "TIMESTAMP"}


def load_duckdb(directory: Path) -> Path:
    path = directory / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    columns = ", ".join(f"{name} {DUCKDB_TYPES[kind]}" for name, kind, _ in ORDER_COLUMNS)
    con.execute(f"CREATE SCHEMA {DATASET}")
    con.execute(f"CREATE TABLE {DATASET}.orders ({columns})")
    con.executemany(f"INSERT INTO {DATASET}.orders VALUES "
                    "(?, ?, ?, ?, CAST(? AS DATE), CAST(? AS TIMESTAMP))",
                    [list(o.values()) for o in ORDERS])
    con.execute(f"COMMENT ON TABLE {DATASET}.orders IS 'One row per order'")
    for name, _, description in ORDER_COLUMNS:
        if description:
            con.execute(f"COMMENT ON COLUMN {DATASET}.orders.{name} IS '{description}'")
    con.execute(f"CREATE TABLE {DATASET}.users (id BIGINT)")
    con.execute(f"INSERT INTO {DATASET}.users VALUES (1), (2)")
    con.execute(f"COMMENT ON TABLE {DATASET}.users IS 'People who order'")
    con.close()
    return path


def load_bigquery(emulator: Emulator) -> None:
    c = emulator.client()
    c.create_dataset(f"{PROJECT}.{DATASET}")
    orders = bigquery.Table(f"{PROJECT}.{DATASET}.orders", schema=[
        bigquery.SchemaField(name, kind, description=description or None)
        for name, kind, description in ORDER_COLUMNS])
    orders.description = "One row per order"
    c.create_table(orders)
    assert c.insert_rows_json(orders, ORDERS) == []
    users = bigquery.Table(f"{PROJECT}.{DATASET}.users",
                           schema=[bigquery.SchemaField("id", "INT64")])
    users.description = "People who order"
    c.create_table(users)
    assert c.insert_rows_json(users, [{"id": 1}, {"id": 2}]) == []
    c.close()


@pytest.fixture(scope="session")
def duckdb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"duckdb:///{load_duckdb(tmp_path_factory.mktemp('contract'))}"


@pytest.fixture(scope="session")
def bigquery_emulator(emulator: Emulator) -> Emulator:
    load_bigquery(emulator)
    return emulator


@pytest.fixture(params=["duckdb", "bigquery"])
def settings(request: pytest.FixtureRequest) -> Settings:
    if request.param == "duckdb":
        return Settings(warehouse=request.getfixturevalue("duckdb_url"),
                        allowed_datasets=(DATASET,))
    emu: Emulator = request.getfixturevalue("bigquery_emulator")
    return Settings(warehouse=f"bigquery://{PROJECT}?location=US",
                    bigquery_endpoint=emu.endpoint, allowed_datasets=(DATASET,))


@pytest.fixture
def warehouse(settings: Settings) -> Iterator[Warehouse]:
    wh = open_warehouse(settings)
    yield wh
    wh.close()


def query(wh: Warehouse, sql: str, max_rows: int = 100) -> Any:
    return wh.query(sql, max_rows=max_rows, timeout_s=30)


def test_tables_are_listed_compactly_with_descriptions(warehouse: Warehouse) -> None:
    tables = {t.id: t.to_dict() for t in warehouse.list_tables(DATASET)}
    assert set(tables) == {f"{DATASET}.orders", f"{DATASET}.users"}
    assert tables[f"{DATASET}.orders"]["description"] == "One row per order"
    assert tables[f"{DATASET}.users"]["description"] == "People who order"
    assert all("columns" not in t for t in tables.values())


def test_a_table_gives_types_descriptions_examples_and_row_count(warehouse: Warehouse) -> None:
    table = warehouse.get_table(f"{DATASET}.orders").to_dict()
    assert table["row_count"] == 30
    columns = {c["name"]: c for c in table["columns"]}
    assert [(c["name"], c["type"]) for c in table["columns"]] == [
        (name, kind) for name, kind, _ in ORDER_COLUMNS]
    assert columns["id"]["description"] == "Order id"
    # Low-cardinality text gets examples, most frequent first; an id-like column does not.
    assert columns["status"]["examples"] == ["Complete", "Returned", "Shipped"]
    assert "examples" not in columns["customer"] and "examples" not in columns["amount"]


def test_an_unknown_table_is_not_found(warehouse: Warehouse) -> None:
    with pytest.raises(NotFound):
        warehouse.get_table(f"{DATASET}.nope")


def test_googlesql_runs_and_values_are_json_safe(warehouse: Warehouse) -> None:
    result = query(warehouse, f"SELECT COUNTIF(status = 'Returned') AS returned, "
                              f"SUM(amount) AS total, MIN(day) AS first_day, "
                              f"EXTRACT(YEAR FROM MIN(day)) AS y FROM {DATASET}.orders")
    assert result.columns == ["returned", "total", "first_day", "y"]
    assert result.rows == [[8, sum(o["amount"] for o in ORDERS), "2024-01-01", 2024]]
    assert result.truncated is False


def test_the_row_cap_sets_truncated(warehouse: Warehouse) -> None:
    capped = query(warehouse, f"SELECT id FROM {DATASET}.orders ORDER BY id", max_rows=5)
    assert capped.rows == [[0], [1], [2], [3], [4]] and capped.truncated is True
    whole = query(warehouse, f"SELECT id FROM {DATASET}.users ORDER BY id", max_rows=5)
    assert whole.rows == [[1], [2]] and whole.truncated is False


def test_a_bad_query_is_a_one_line_query_error(warehouse: Warehouse) -> None:
    with pytest.raises(QueryError) as e:
        query(warehouse, f"SELECT nope FROM {DATASET}.orders")
    assert "nope" in e.value.message and "\n" not in e.value.message


def test_the_tools_see_the_same_data(warehouse: Warehouse, settings: Settings) -> None:
    box = Toolbox(warehouse, settings.with_(max_rows=3))
    assert [d["dataset_id"] for d in box.call("list_datasets", {}).payload["datasets"]] == [
        DATASET]
    out = box.call("sql_query", {"query": f"SELECT status, COUNT(*) AS n FROM {DATASET}.orders "
                                          "GROUP BY status ORDER BY n DESC"})
    assert out.payload["rows"] == [["Complete", 20], ["Returned", 8], ["Shipped", 2]]
    assert box.call("get_table", {"table_id": f"{DATASET}.users"}).payload["row_count"] == 2
