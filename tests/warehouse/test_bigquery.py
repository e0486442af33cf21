"""The BigQuery warehouse through the official client: against the bqemulator
process for what it emulates, and against a scripted REST server for what it
does not (byte estimates, maximum_bytes_billed, job timeouts, pagination)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.api_core import exceptions as api
from google.cloud import bigquery

from nl2sql.config import Settings
from nl2sql.errors import NotFound, QueryError, QueryTimeout, UnsafeSQL, WarehouseError
from nl2sql.tools import Toolbox
from nl2sql.warehouse import open_warehouse
from nl2sql.warehouse.bigquery import BigQueryWarehouse
from nl2sql.warehouse.bq_errors import translate
from nl2sql.warehouse.bq_metadata import table_info
from nl2sql.warehouse.bq_values import hash_user, job_labels, json_value
from tests.fakes.bqemulator import PROJECT, Emulator, FakeBigQuery

# -- the emulator (tests/warehouse/conftest.py), seeded once per session --------------


ORDERS_SCHEMA = [
    bigquery.SchemaField("id", "INT64", mode="REQUIRED", description="Order id"),
    bigquery.SchemaField("status", "STRING", description="Complete, Returned or Shipped"),
    bigquery.SchemaField("customer", "STRING"),
    bigquery.SchemaField("amount", "NUMERIC"),
    bigquery.SchemaField("created_at", "TIMESTAMP"),
    bigquery.SchemaField("day", "DATE"),
    bigquery.SchemaField("tags", "STRING", mode="REPEATED"),
    bigquery.SchemaField("address", "RECORD", fields=[
        bigquery.SchemaField("city", "STRING", description="City name"),
        bigquery.SchemaField("zip", "STRING"),
    ]),
    bigquery.SchemaField("payload", "JSON"),
    bigquery.SchemaField("raw", "BYTES"),
]
STATUSES = ["Complete"] * 20 + ["Returned"] * 8 + ["Shipped"] * 2


def _order(i: int) -> dict[str, Any]:
    return {
        "id": i, "status": STATUSES[i % len(STATUSES)], "customer": f"customer {i}",
        "amount": f"{i}.25", "created_at": f"2024-01-{1 + i % 28:02d}T10:00:00Z",
        "day": f"2024-01-{1 + i % 28:02d}", "tags": ["a", "b"][: i % 3],
        "address": {"city": "Paris", "zip": "75001"}, "payload": '{"k": [1, 2]}',
        "raw": "aGk=",
    }


@pytest.fixture(scope="session")
def seeded(emulator: Emulator) -> Emulator:
    """Datasets ``shop`` (allowed in most tests) and ``secret`` (never allowed)."""
    c = emulator.client()
    shop = bigquery.Dataset(f"{PROJECT}.shop")
    shop.description = "Shop data"
    c.create_dataset(shop)
    c.create_dataset(f"{PROJECT}.secret")
    orders = bigquery.Table(f"{PROJECT}.shop.orders", schema=ORDERS_SCHEMA)
    orders.description = "One row per order"
    orders.time_partitioning = bigquery.TimePartitioning(field="day")
    orders.clustering_fields = ["status"]
    c.create_table(orders)
    # Small multipart loads fail on the emulator; streaming inserts work.
    assert c.insert_rows_json(orders, [_order(i) for i in range(30)]) == []
    users = bigquery.Table(f"{PROJECT}.shop.users", schema=[bigquery.SchemaField("id", "INT64")])
    users.description = "People who order"
    c.create_table(users)
    assert c.insert_rows_json(users, [{"id": 1}, {"id": 2}]) == []
    salaries = bigquery.Table(f"{PROJECT}.secret.salaries",
                              schema=[bigquery.SchemaField("amount", "INT64")])
    c.create_table(salaries)
    assert c.insert_rows_json(salaries, [{"amount": 100}]) == []
    c.close()
    return emulator


def _warehouse(endpoint: str, **settings: Any) -> BigQueryWarehouse:
    s = Settings(warehouse=f"bigquery://{PROJECT}?location=US", bigquery_endpoint=endpoint,
                 **settings)
    wh = open_warehouse(s)
    assert isinstance(wh, BigQueryWarehouse)
    return wh


@pytest.fixture
def wh(seeded: Emulator) -> Iterator[BigQueryWarehouse]:
    w = _warehouse(seeded.endpoint, allowed_datasets=("shop",))
    yield w
    w.close()


# -- opening ------------------------------------------------------------------------


def test_url_gives_project_and_location(seeded: Emulator) -> None:
    w = _warehouse(seeded.endpoint)
    assert (w.project, w.location) == (PROJECT, "US")
    w.close()


def test_missing_credentials_are_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    with pytest.raises(WarehouseError, match="application-default login"):
        open_warehouse(Settings(warehouse="bigquery://my-project"))


# -- metadata on the emulator ----------------------------------------------------------


def test_list_datasets_shows_only_allowed_ones_with_descriptions(wh: BigQueryWarehouse) -> None:
    assert [d.to_dict() for d in wh.list_datasets()] == [
        {"dataset_id": "shop", "description": "Shop data"}]


def test_list_datasets_without_allowlist_shows_the_project(seeded: Emulator) -> None:
    w = _warehouse(seeded.endpoint)
    assert {"shop", "secret"} <= {d.id for d in w.list_datasets()}
    w.close()


def test_list_tables_is_compact(wh: BigQueryWarehouse) -> None:
    tables = {t.id: t.to_dict() for t in wh.list_tables("shop")}
    assert tables["shop.orders"] == {
        "table_id": "shop.orders", "description": "One row per order", "row_count": 30,
        "partitioning": "DAY on day", "clustering": ["status"]}
    assert tables["shop.users"]["description"] == "People who order"
    assert all("columns" not in t for t in tables.values())


def test_get_table_flattens_records_marks_repeated_and_shows_examples(
        wh: BigQueryWarehouse) -> None:
    t = wh.get_table("shop.orders").to_dict()
    cols = {c["name"]: c for c in t["columns"]}
    assert list(cols) == ["id", "status", "customer", "amount", "created_at", "day", "tags",
                          "address", "address.city", "address.zip", "payload", "raw"]
    assert cols["id"] == {"name": "id", "type": "INT64", "mode": "REQUIRED",
                          "description": "Order id"}
    assert cols["tags"] == {"name": "tags", "type": "STRING", "mode": "REPEATED"}
    assert cols["address"]["type"] == "STRUCT"
    assert cols["address.city"] == {"name": "address.city", "type": "STRING",
                                    "description": "City name"}
    # Low-cardinality text gets examples, most frequent first; high-cardinality does not.
    assert cols["status"]["examples"] == ["Complete", "Returned", "Shipped"]
    assert "examples" not in cols["customer"]
    assert (t["row_count"], t["partitioning"], t["clustering"]) == (30, "DAY on day", ["status"])


def test_declared_foreign_keys_are_described_as_references() -> None:
    # BigQuery's (unenforced) table constraints say how tables join; get_table shows them.
    table = bigquery.Table.from_api_repr({
        "tableReference": {"projectId": "p", "datasetId": "shop", "tableId": "orders"},
        "schema": {"fields": [{"name": "id", "type": "INT64"},
                              {"name": "buyer", "type": "INT64"}]},
        "tableConstraints": {"primaryKey": {"columns": ["id"]}, "foreignKeys": [{
            "name": "fk_buyer",
            "referencedTable": {"projectId": "p", "datasetId": "shop", "tableId": "users"},
            "columnReferences": [{"referencingColumn": "buyer", "referencedColumn": "id"}]}]},
    })
    cols = {c["name"]: c for c in table_info("shop.orders", table).to_dict()["columns"]}
    assert cols["buyer"] == {"name": "buyer", "type": "INT64", "references": "shop.users.id"}
    assert cols["id"] == {"name": "id", "type": "INT64"}


def test_metadata_outside_the_allowlist_is_not_found(wh: BigQueryWarehouse) -> None:
    with pytest.raises(NotFound):
        wh.list_tables("secret")
    with pytest.raises(NotFound):
        wh.get_table("secret.salaries")
    with pytest.raises(NotFound, match="not found"):
        wh.get_table("shop.nope")


def test_metadata_is_cached_and_examples_follow_table_changes(seeded: Emulator) -> None:
    c = seeded.client()
    table = bigquery.Table(f"{PROJECT}.shop.cached", schema=[bigquery.SchemaField("s", "STRING")])
    table.description = "before"
    c.create_table(table)
    assert c.insert_rows_json(table, [{"s": "a"}]) == []
    w = _warehouse(seeded.endpoint, allowed_datasets=("shop",))
    assert w.get_table("shop.cached").columns[0].examples == ["a"]

    _describe(c, table, "after")
    assert c.insert_rows_json(table, [{"s": "b"}, {"s": "b"}]) == []
    info = w.get_table("shop.cached")  # within the TTL: nothing is re-read
    assert (info.description, info.columns[0].examples) == ("before", ["a"])

    # Past the TTL the (free) metadata is re-read, and the examples (a query) are
    # re-queried because the table's modification time moved.
    w.table_cache.ttl_s = 0
    info = w.get_table("shop.cached")
    assert (info.description, info.columns[0].examples) == ("after", ["b", "a"])

    # Streaming inserts do not move the emulator's modification time: no new query.
    assert c.insert_rows_json(table, [{"s": "c"}] * 3) == []
    assert w.get_table("shop.cached").columns[0].examples == ["b", "a"]
    _describe(c, table, "again")
    assert w.get_table("shop.cached").columns[0].examples == ["c", "b", "a"]
    w.close()
    c.close()


def _describe(c: bigquery.Client, table: bigquery.Table, description: str) -> None:
    table = c.get_table(table)
    table.description = description
    c.update_table(table, ["description"])


# -- queries on the emulator ------------------------------------------------------------


def test_query_returns_json_safe_values_and_job_facts(wh: BigQueryWarehouse) -> None:
    r = wh.query("SELECT id, amount, created_at, day, tags, address, payload, raw "
                 "FROM shop.orders WHERE id = 4", max_rows=10, timeout_s=30,
                 labels={"interface": "cli"})
    assert r.columns == ["id", "amount", "created_at", "day", "tags", "address", "payload",
                         "raw"]
    assert r.rows == [[4, 4.25, "2024-01-05T10:00:00+00:00", "2024-01-05", ["a"],
                       {"city": "Paris", "zip": "75001"}, {"k": [1, 2]}, "aGk="]]
    assert (r.truncated, r.total_rows) == (False, 1)
    assert r.job_id and r.cache_hit is False and r.bytes_processed == 0  # emulator: 0 bytes


def test_query_fetches_only_up_to_the_cap(wh: BigQueryWarehouse) -> None:
    r = wh.query("SELECT id FROM shop.orders ORDER BY id", max_rows=5, timeout_s=30)
    assert r.rows == [[0], [1], [2], [3], [4]]
    assert r.truncated is True and r.total_rows == 30
    assert r.to_dict()["truncated"] is True


def test_dml_reaches_the_dry_run_and_is_refused(wh: BigQueryWarehouse) -> None:
    for sql in ("DELETE FROM shop.users WHERE TRUE",
                "INSERT INTO shop.users (id) VALUES (3)",
                "UPDATE shop.users SET id = 0 WHERE TRUE"):
        with pytest.raises(UnsafeSQL) as e:
            wh.query(sql, max_rows=10, timeout_s=30)
        assert e.value.check == "dry_run_statement_type"
    assert wh.query("SELECT COUNT(*) FROM shop.users", max_rows=1, timeout_s=30).rows == [[2]]


@pytest.mark.parametrize("sql", [
    "SELECT * FROM secret.salaries",
    "SELECT * FROM `test-project.secret.salaries`",
    "SELECT * FROM `other-project.shop.orders`",
    "WITH o AS (SELECT * FROM shop.orders) SELECT * FROM o JOIN secret.salaries ON TRUE",
    "SELECT * FROM `region-us`.INFORMATION_SCHEMA.JOBS",
])
def test_tables_outside_the_allowlist_are_refused(wh: BigQueryWarehouse, sql: str) -> None:
    with pytest.raises(UnsafeSQL) as e:
        wh.query(sql, max_rows=10, timeout_s=30)
    assert e.value.check == "dry_run_tables"


@pytest.mark.parametrize(("sql", "message"), [
    ("SELECT nope FROM shop.orders", "BigQuery rejected the query: .*nope"),
    ("SELECT NO_SUCH_FUNCTION(1)", "BigQuery rejected the query"),
    ("SELECT * FROM shop.nope", "could not find"),
])
def test_bigquery_errors_are_sentences(wh: BigQueryWarehouse, sql: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as e:
        wh.query(sql, max_rows=10, timeout_s=30)
    assert "http" not in e.value.message and "Job ID" not in e.value.message


def test_the_model_sees_the_jobs_facts(wh: BigQueryWarehouse) -> None:
    # (The rows themselves are the warehouse contract: test_contract.py.)
    box = Toolbox(wh, Settings(allowed_datasets=("shop",), max_rows=3), labels={"interface": "cli"})
    out = box.call("sql_query", {"query": "SELECT status FROM shop.orders"})
    assert out.payload["job_id"] and out.payload["cache_hit"] is False


def test_toolbox_project_qualified_names_follow_the_allowlist(wh: BigQueryWarehouse) -> None:
    box = Toolbox(wh, Settings(allowed_datasets=("shop", "elsewhere.shop")))
    # Our own project, spelled out, is the same dataset.
    assert box.call("get_table", {"table_id": "test-project.shop.users"}).payload["row_count"] == 2
    out = box.call("sql_query", {"query": "SELECT COUNT(*) AS n FROM `test-project.shop.users`"})
    assert out.payload["rows"] == [[2]]
    # A project with no allowlist entry is refused by metadata and by the gate alike.
    with pytest.raises(NotFound):
        box.call("get_table", {"table_id": "other-project.shop.users"})
    with pytest.raises(UnsafeSQL, match="only project `test-project` may be queried"):
        box.call("sql_query", {"query": "SELECT * FROM `other-project.shop.users`"})


# -- cost controls, timeouts and pagination on the scripted REST server ----------------


@pytest.fixture
def fake() -> Iterator[FakeBigQuery]:
    f = FakeBigQuery().start()
    yield f
    f.stop()


@pytest.fixture
def on_fake(fake: FakeBigQuery) -> Iterator[Any]:
    """Open warehouses on the fake server; all closed at teardown."""
    opened: list[BigQueryWarehouse] = []

    def make(**settings: Any) -> BigQueryWarehouse:
        opened.append(_warehouse(fake.endpoint, **settings))
        return opened[-1]

    yield make
    for w in opened:
        w.close()


def test_over_the_byte_cap_is_refused_before_any_job(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.dry_run_bytes = 50 * 10**9
    fake.referenced = [(PROJECT, "shop", "orders")]
    w = on_fake(allowed_datasets=("shop",), max_bytes_billed=10 * 10**9)
    with pytest.raises(QueryError) as e:
        w.query("SELECT * FROM shop.orders", max_rows=10, timeout_s=30)
    assert "50.0 GB" in e.value.message and "$0.28" in e.value.message
    assert "10.0 GB" in e.value.message and "NL2SQL_MAX_BYTES_BILLED" in e.value.message
    assert e.value.details["bytes_estimate"] == 50 * 10**9
    assert fake.jobs_started() == []
    dry = fake.requests[0]["body"]["configuration"]
    assert dry["dryRun"] is True and dry["query"]["useQueryCache"] is False


def test_jobs_carry_the_byte_cap_timeout_and_labels(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.dry_run_bytes = 10**6
    w = on_fake(max_bytes_billed=2 * 10**9)
    r = w.query("SELECT 1 AS n", max_rows=10, timeout_s=12,
                labels={"interface": "Slack", "user": "U123"})
    (job,) = fake.jobs_started()
    assert job["query"]["maximumBytesBilled"] == str(2 * 10**9)
    assert job["jobTimeoutMs"] == "12000"
    assert job["labels"] == {"app": "nl2sql", "interface": "slack", "user": hash_user("U123")}
    assert r.rows == [[1]]
    assert (r.job_id, r.bytes_processed, r.bytes_billed, r.cache_hit) == (
        r.job_id, 1234, 10485760, False)
    assert r.job_id and r.job_id.startswith("nl2sql_")


def test_rows_are_requested_only_up_to_the_cap(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.rows = [[i] for i in range(100)]
    w = on_fake()
    r = w.query("SELECT n FROM shop.t", max_rows=3, timeout_s=10)
    assert r.rows == [[0], [1], [2]] and r.truncated and r.total_rows == 100
    asked = [int(q["query"]["maxResults"]) for q in fake.requests
             if "/queries/" in q["path"] and "maxResults" in q["query"]]
    assert asked and max(asked) <= 4


def test_byte_limit_hit_by_the_job_is_a_clear_error(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.job_mode = "bytes_limit"
    w = on_fake(max_bytes_billed=1000)
    with pytest.raises(QueryError, match="bill more than .*1000 bytes.*NL2SQL_MAX_BYTES_BILLED"):
        w.query("SELECT 1", max_rows=10, timeout_s=10)


def test_a_job_past_its_timeout_is_cancelled(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.job_mode = "hang"
    w = on_fake()
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="1s time limit"):
        w.query("SELECT 1", max_rows=10, timeout_s=1)
    assert time.monotonic() - started < 10
    (job,) = [r for r in fake.requests if r["method"] == "POST" and r["path"].endswith("/jobs")
              and not r["body"]["configuration"].get("dryRun")]
    assert fake.cancelled == [job["body"]["jobReference"]["jobId"]]


def test_a_job_whose_results_cannot_be_read_is_cancelled(fake: FakeBigQuery,
                                                         on_fake: Any) -> None:
    """Polling that fails until its deadline ends the wait too: the job must not run on."""
    fake.job_mode = "poll_errors"
    w = on_fake()
    with pytest.raises(WarehouseError) as e:
        w.query("SELECT 1", max_rows=10, timeout_s=2)
    assert "Error encountered during execution" in e.value.message
    assert "http" not in e.value.message  # BigQuery's sentence, not the request URL
    (job,) = [r for r in fake.requests if r["method"] == "POST" and r["path"].endswith("/jobs")
              and not r["body"]["configuration"].get("dryRun")]
    assert fake.cancelled == [job["body"]["jobReference"]["jobId"]]


def test_a_failed_job_is_not_cancelled(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.job_mode = "bytes_limit"
    with pytest.raises(QueryError):
        on_fake(max_bytes_billed=1000).query("SELECT 1", max_rows=10, timeout_s=10)
    assert fake.cancelled == []


@pytest.mark.parametrize(("referenced", "statement"), [
    ([(PROJECT, "secret", "salaries")], "SELECT"),
    ([("other-project", "shop", "orders")], "SELECT"),
    ([], "SCRIPT"),
    ([], "CREATE_TABLE_AS_SELECT"),
])
def test_the_dry_run_decides(fake: FakeBigQuery, on_fake: Any,
                             referenced: list[tuple[str, str, str]], statement: str) -> None:
    """Tables and statement types come from BigQuery, not from our reading of the SQL."""
    fake.referenced, fake.statement_type = referenced, statement
    w = on_fake(allowed_datasets=("shop",))
    with pytest.raises(UnsafeSQL):
        w.query("SELECT * FROM shop.v", max_rows=10, timeout_s=10)
    assert fake.jobs_started() == []


def test_example_values_query_is_dry_run_capped_and_labelled(fake: FakeBigQuery,
                                                             on_fake: Any) -> None:
    """get_table's example values cost a query: it gets the same layers as any other."""
    fake.tables = {"shop.orders": [{"name": "status", "type": "STRING"}]}
    fake.schema = [{"name": "n0", "type": "INTEGER"},
                   {"name": "t0", "type": "RECORD", "mode": "REPEATED", "fields": [
                       {"name": "value", "type": "STRING"}, {"name": "count", "type": "INTEGER"}]}]
    fake.rows = [["2", [{"v": {"f": [{"v": "Complete"}, {"v": "20"}]}},
                        {"v": {"f": [{"v": "Returned"}, {"v": "8"}]}}]]]
    fake.dry_run_bytes = 10**6
    w = on_fake(max_bytes_billed=100 * 2**20, query_timeout_s=5)
    assert w.get_table("shop.orders").columns[0].examples == ["Complete", "Returned"]
    dry, job = [r["body"]["configuration"] for r in fake.requests
                if r["method"] == "POST" and r["path"].endswith("/jobs")]
    assert dry["dryRun"] is True and "APPROX_TOP_COUNT" in dry["query"]["query"]
    assert job["query"]["maximumBytesBilled"] == str(100 * 2**20)  # min(256 MiB, the setting)
    assert job["jobTimeoutMs"] == "5000"
    assert job["labels"] == {"app": "nl2sql", "purpose": "table_examples"}

    # Over the cheap limit the dry run is all that happens.
    fake.requests.clear()
    fake.dry_run_bytes = 300 * 2**20
    assert on_fake().get_table("shop.orders").columns[0].examples is None
    assert fake.jobs_started() == []
    assert [r["body"]["configuration"].get("dryRun") for r in fake.requests
            if r["method"] == "POST"] == [True]


def test_list_datasets_follows_pages(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.datasets = ["a", "b", "c", "d", "e"]
    w = on_fake()
    assert [(d.id, d.description) for d in w.list_datasets()] == [
        (x, f"About {x}") for x in "abcde"]
    pages = [r for r in fake.requests if r["path"].endswith("/datasets")]
    assert len(pages) == 3


def test_values_of_every_type_are_json_safe(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.schema = [
        {"name": "big", "type": "BIGNUMERIC"}, {"name": "num", "type": "NUMERIC"},
        {"name": "dt", "type": "DATETIME"}, {"name": "t", "type": "TIME"},
        {"name": "ts", "type": "TIMESTAMP"}, {"name": "b", "type": "BYTES"},
        {"name": "j", "type": "JSON"}, {"name": "g", "type": "GEOGRAPHY"},
        {"name": "iv", "type": "INTERVAL"},
        {"name": "s", "type": "RECORD", "mode": "REPEATED",
         "fields": [{"name": "x", "type": "INTEGER"}, {"name": "d", "type": "DATE"}]},
    ]
    fake.rows = [["123456789012345678901234567890.5", "1.25", "2024-01-02T03:04:05",
                  "10:11:12.500000", "1704164645000000", "aGk=", '{"a": [1, null]}',
                  "POINT(1 2)", "1-2 3 4:5:6",
                  [{"v": {"f": [{"v": "7"}, {"v": "2024-02-03"}]}}]]]
    r = on_fake().query("SELECT 1", max_rows=10, timeout_s=10)
    assert r.rows == [["123456789012345678901234567890.5", 1.25, "2024-01-02T03:04:05",
                       "10:11:12.500000", "2024-01-02T03:04:05+00:00", "aGk=",
                       {"a": [1, None]}, "POINT(1 2)", "1-2 3 4:5:6",
                       [{"x": 7, "d": "2024-02-03"}]]]


# -- pure pieces ---------------------------------------------------------------------------


def test_labels_follow_bigquery_rules() -> None:
    labels = job_labels({"interface": "Web UI", "user": "ada@example.com", "app": "evil",
                         "9lives": "x" * 80, "email": "x@y"})
    assert labels["app"] == "nl2sql" and labels["interface"] == "web_ui"
    assert labels["user"] == hash_user("x@y") and len(labels["user"]) == 16
    assert labels["k_9lives"] == "x" * 63
    assert all(k[0].isalpha() and len(k) <= 63 and len(v) <= 63 for k, v in labels.items())


def test_table_info_from_the_api_resource() -> None:
    table = bigquery.Table.from_api_repr({
        "tableReference": {"projectId": "p", "datasetId": "d", "tableId": "t"},
        "type": "TABLE", "numRows": "5", "requirePartitionFilter": True,
        "rangePartitioning": {"field": "k", "range": {"start": "0", "end": "100",
                                                      "interval": "10"}},
        "schema": {"fields": [
            {"name": "k", "type": "INTEGER"},
            {"name": "r", "type": "RANGE", "rangeElementType": {"type": "DATE"}},
            {"name": "items", "type": "RECORD", "mode": "REPEATED",
             "fields": [{"name": "qty", "type": "FLOAT"}]}]},
    })
    assert table_info("d.t", table).to_dict() == {
        "table_id": "d.t", "description": "", "row_count": 5,
        "columns": [{"name": "k", "type": "INT64"}, {"name": "r", "type": "RANGE<DATE>"},
                    {"name": "items", "type": "STRUCT", "mode": "REPEATED"},
                    {"name": "items.qty", "type": "FLOAT64"}],
        "partitioning": "RANGE on k [0, 100) step 10", "require_partition_filter": True}


@pytest.mark.parametrize(("exc", "kind", "text"), [
    (api.Forbidden("x", errors=[{"reason": "accessDenied", "message": "Access Denied: t"}]),
     QueryError, "denied access: Access Denied: t"),
    (api.Forbidden("x", errors=[{"reason": "quotaExceeded", "message": "Quota exceeded"}]),
     WarehouseError, "quota"),
    (api.BadRequest("x", errors=[{"reason": "invalidQuery",
                                  "message": "Syntax error: Unexpected end at [1:8]"}]),
     QueryError, r"rejected the query: Syntax error: Unexpected end at \[1:8\]"),
    (api.BadRequest("x", errors=[{"reason": "jobTimeout", "message": "Job timed out"}]),
     QueryTimeout, "time limit"),
    (api.InternalServerError("boom"), WarehouseError, "try again"),
])
def test_errors_translate_to_actionable_messages(exc: Exception, kind: type, text: str) -> None:
    err = translate(exc)
    assert type(err) is kind
    assert re.search(text, err.message), err.message


def test_interval_and_nested_values() -> None:
    from dateutil.relativedelta import relativedelta

    assert json_value(relativedelta(months=-14, hours=-1, microseconds=500)) == \
        "-1-2 0 -0:59:59.9995"
    assert json_value([{"a": float("nan")}]) == [{"a": None}]


# -- end to end: `nl2sql ask` over the emulator loaded with demo tables -----------------

E2E_TABLES = ("orders", "users", "products")


@pytest.fixture(scope="session")
def thelook(seeded: Emulator, demo_db: Path) -> Emulator:
    """The demo's orders, users and products, with their descriptions, in the emulator
    (schemas and descriptions read from the demo DuckDB file itself)."""
    import duckdb

    from nl2sql.warehouse.duckdb import bigquery_type
    from nl2sql.warehouse.values import json_safe

    c = seeded.client()
    dataset = bigquery.Dataset(f"{PROJECT}.thelook_ecommerce")
    dataset.description = "The demo store: orders, users, products"
    c.create_dataset(dataset)
    con = duckdb.connect(str(demo_db), read_only=True)
    for name in E2E_TABLES:
        (description,) = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE schema_name = 'thelook_ecommerce' "
            "AND table_name = ?", [name]).fetchone() or (None,)
        cols = con.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() "
            "WHERE schema_name = 'thelook_ecommerce' AND table_name = ? ORDER BY column_index",
            [name]).fetchall()
        table = bigquery.Table(f"{PROJECT}.thelook_ecommerce.{name}", schema=[
            bigquery.SchemaField(col, bigquery_type(kind), description=text)
            for col, kind, text in cols])
        table.description = description
        c.create_table(table)
        names = [col for col, _, _ in cols]
        rows = con.execute(f"SELECT {', '.join(names)} FROM thelook_ecommerce.{name}").fetchall()
        for start in range(0, len(rows), 1000):
            chunk = [dict(zip(names, map(json_safe, r), strict=True))
                     for r in rows[start:start + 1000]]
            assert c.insert_rows_json(table, chunk) == []
    con.close()
    c.close()
    return seeded


@pytest.fixture
def order_count(demo_db: Path) -> int:
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        row = con.execute("SELECT COUNT(*) FROM thelook_ecommerce.orders").fetchone()
    assert row is not None
    return int(row[0])


def _ask(monkeypatch: pytest.MonkeyPatch, emu: Emulator, *args: str) -> dict[str, Any]:
    from click.testing import CliRunner

    from nl2sql.cli import main

    monkeypatch.setenv("NL2SQL_BIGQUERY_ENDPOINT", emu.endpoint)
    monkeypatch.setenv("NL2SQL_ALLOWED_DATASETS", "thelook_ecommerce")
    result = CliRunner().invoke(main, ["ask", "--warehouse", f"bigquery://{PROJECT}", "--json",
                                       *args, "How many orders are there?"])
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def test_cli_answers_over_bigquery_with_the_offline_planner(
        thelook: Emulator, order_count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _ask(monkeypatch, thelook, "--model", "offline")
    assert out["rows"] == [[order_count]]
    assert str(order_count) in out["answer"].replace(",", "")
    assert "thelook_ecommerce.orders" in out["sql"]
    assert [s["name"] for s in out["steps"]][-1] == "sql_query"
    assert all(s["ok"] for s in out["steps"] if s["name"] == "sql_query")


def test_the_answer_carries_the_job_facts(thelook: Emulator, order_count: int) -> None:
    """Job id, bytes and cache hit reach the answer (the API's answer object; the
    CLI's --json keeps to its contract keys)."""
    from nl2sql.agent import Agent
    from nl2sql.models.offline import OfflinePlanner

    w = _warehouse(thelook.endpoint, allowed_datasets=("thelook_ecommerce",))
    try:
        answer, _ = Agent(OfflinePlanner(), w, w.settings, labels={"interface": "api"}).ask(
            "How many orders are there?")
    finally:
        w.close()
    assert answer.rows == [[order_count]] and answer.truncated is False
    job = answer.to_dict()["job"]
    assert job["job_id"].startswith("nl2sql_") and job["cache_hit"] is False
    assert job["bytes_processed"] == 0  # the emulator reports 0 bytes


def test_cli_answers_over_bigquery_with_gemini(
        thelook: Emulator, order_count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.gemini import GeminiServer, calls, text

    sql = "SELECT COUNT(*) AS orders FROM thelook_ecommerce.orders"
    with GeminiServer() as gemini:
        gemini.enqueue(calls(("list_datasets", {})))
        gemini.enqueue(calls(("get_table", {"table_id": "thelook_ecommerce.orders"})))
        gemini.enqueue(calls(("sql_query", {"query": sql})))
        gemini.enqueue(text(f"There are {order_count:,} orders."))
        for key, value in gemini.env().items():
            monkeypatch.setenv(key, value)
        out = _ask(monkeypatch, thelook, "--model", "gemini-2.5-flash")
        sent = gemini.requests
    assert out["rows"] == [[order_count]] and out["sql"] == sql
    assert [s["name"] for s in out["steps"]] == ["list_datasets", "get_table", "sql_query"]
    assert all(s["ok"] for s in out["steps"])
    # What Gemini was shown came from BigQuery: the dataset and the table's columns.
    responses = json.dumps([r.contents for r in sent])
    assert "The demo store" in responses and "order_id" in responses
