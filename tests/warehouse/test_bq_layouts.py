"""BigQuery layouts of real projects, through the official client against the
scripted REST server: authorized views, date-sharded tables, several locations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from nl2sql.config import Settings
from nl2sql.errors import NotFound, QueryError, UnsafeSQL
from nl2sql.tools import Toolbox
from nl2sql.warehouse import open_warehouse
from nl2sql.warehouse.bigquery import BigQueryWarehouse
from tests.fakes.bqemulator import PROJECT, FakeBigQuery


@pytest.fixture
def fake() -> Iterator[FakeBigQuery]:
    f = FakeBigQuery().start()
    yield f
    f.stop()


@pytest.fixture
def on_fake(fake: FakeBigQuery) -> Iterator[Any]:
    opened: list[BigQueryWarehouse] = []

    def make(**settings: Any) -> BigQueryWarehouse:
        s = Settings(warehouse=f"bigquery://{PROJECT}?location=US",
                     bigquery_endpoint=fake.endpoint, **settings)
        wh = open_warehouse(s)
        assert isinstance(wh, BigQueryWarehouse)
        opened.append(wh)
        return wh

    yield make
    for w in opened:
        w.close()


ID = [{"name": "id", "type": "INTEGER"}, {"name": "status", "type": "STRING"}]


def _view(query: str) -> dict[str, Any]:
    return {"type": "VIEW", "view": {"query": query, "useLegacySql": False}}


# -- views and authorized views --------------------------------------------------------


def test_authorized_view_over_a_dataset_outside_the_allowlist_runs(
        fake: FakeBigQuery, on_fake: Any) -> None:
    """The standard way to expose a safe subset: reporting.orders reads raw.orders,
    which the service may not name itself. The dry run lists the base table."""
    fake.tables = {"reporting.orders": ID}
    fake.table_extra = {"reporting.orders": _view(
        f"SELECT id, status FROM `{PROJECT}.raw.orders` WHERE status != 'Test'")}
    fake.referenced = [(PROJECT, "raw", "orders")]
    w = on_fake(allowed_datasets=("reporting",))
    r = w.query("SELECT status, COUNT(*) AS n FROM reporting.orders GROUP BY status",
                max_rows=10, timeout_s=10)
    assert r.rows == [[1]]
    assert len(fake.jobs_started()) == 1


def test_views_of_views_are_followed(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.tables = {"reporting.summary": ID, "staging.clean": ID}
    fake.table_extra = {
        "reporting.summary": _view("SELECT * FROM staging.clean"),  # unqualified project
        "staging.clean": {"type": "MATERIALIZED_VIEW",
                          "materializedView": {"query": f"SELECT * FROM `{PROJECT}.raw.orders`"}},
    }
    fake.referenced = [(PROJECT, "staging", "clean"), (PROJECT, "raw", "orders")]
    w = on_fake(allowed_datasets=("reporting",))
    w.query("SELECT * FROM reporting.summary", max_rows=10, timeout_s=10)
    assert len(fake.jobs_started()) == 1


@pytest.mark.parametrize("sql", [
    "SELECT * FROM raw.orders",  # named directly: the allowlist decides, no dry run
    f"SELECT * FROM reporting.orders JOIN `{PROJECT}.raw.orders` USING (id)",
])
def test_base_tables_named_directly_are_still_refused(fake: FakeBigQuery, on_fake: Any,
                                                      sql: str) -> None:
    fake.tables = {"reporting.orders": ID}
    fake.table_extra = {"reporting.orders": _view(f"SELECT * FROM `{PROJECT}.raw.orders`")}
    fake.referenced = [(PROJECT, "raw", "orders")]
    w = on_fake(allowed_datasets=("reporting",))
    with pytest.raises(UnsafeSQL, match="raw.orders is not in an allowed dataset"):
        w.query(sql, max_rows=10, timeout_s=10)
    assert fake.jobs_started() == []
    assert not any(r["body"].get("configuration", {}).get("dryRun") for r in fake.requests
                   if r["method"] == "POST")


def test_a_base_table_no_named_view_reaches_is_refused(fake: FakeBigQuery,
                                                       on_fake: Any) -> None:
    """Only what the views' definitions read is excused, not anything the dry run says."""
    fake.tables = {"reporting.orders": ID, "reporting.plain": ID}
    fake.table_extra = {"reporting.orders": _view(f"SELECT * FROM `{PROJECT}.raw.orders`")}
    fake.referenced = [(PROJECT, "raw", "orders"), (PROJECT, "secret", "salaries")]
    w = on_fake(allowed_datasets=("reporting",))
    with pytest.raises(UnsafeSQL, match="secret.salaries is not in an allowed dataset"):
        w.query("SELECT * FROM reporting.orders", max_rows=10, timeout_s=10)
    # a plain table is no view: its "base tables" are not excused either
    fake.referenced = [(PROJECT, "raw", "orders")]
    with pytest.raises(UnsafeSQL, match="raw.orders"):
        w.query("SELECT * FROM reporting.plain", max_rows=10, timeout_s=10)
    assert fake.jobs_started() == []


# -- date-sharded tables ----------------------------------------------------------------

SHARDS = [f"2024010{d}" for d in range(1, 6)]


def _sharded(fake: FakeBigQuery) -> None:
    fake.tables = {f"ga.events_{s}": [{"name": "event_name", "type": "STRING"},
                                      {"name": f"added_{s}", "type": "INTEGER"}] for s in SHARDS}
    fake.tables["ga.users"] = ID


def _gets(fake: FakeBigQuery) -> list[str]:
    return [r["path"].rsplit("/", 1)[1] for r in fake.requests
            if r["method"] == "GET" and "/tables/" in r["path"]]


def test_shards_are_listed_as_one_wildcard_with_their_date_range(fake: FakeBigQuery,
                                                                  on_fake: Any) -> None:
    _sharded(fake)
    w = on_fake(allowed_datasets=("ga",))
    tables = {t.id: t for t in w.list_tables("ga")}
    assert sorted(tables) == ["ga.events_*", "ga.users"]
    about = tables["ga.events_*"].description or ""
    assert "5 daily shards" in about and "2024-01-01 to 2024-01-05" in about
    assert "_TABLE_SUFFIX BETWEEN '20240101' AND '20240105'" in about
    # one metadata call for the group (its latest shard), not one per shard
    assert sorted(_gets(fake)) == ["events_20240105", "users"]


def test_a_wildcard_is_described_by_its_latest_shard_without_example_queries(
        fake: FakeBigQuery, on_fake: Any) -> None:
    _sharded(fake)
    w = on_fake(allowed_datasets=("ga",))
    box = Toolbox(w, w.settings)
    out = box.get_table("ga.events_*")
    assert out["table_id"] == "ga.events_*"
    assert [c["name"] for c in out["columns"]] == ["event_name", "added_20240105"]
    assert "_TABLE_SUFFIX" in out["description"]
    shard = w.get_table("ga.events_20240102")
    assert shard.columns[0].examples is None
    assert fake.jobs_started() == []  # no example-values query per shard
    with pytest.raises(NotFound, match="no date-sharded tables match ga.orders_"):
        w.get_table("ga.orders_*")


def test_a_wildcard_query_passes_the_gate_and_the_dry_run(fake: FakeBigQuery,
                                                          on_fake: Any) -> None:
    _sharded(fake)
    fake.referenced = [(PROJECT, "ga", f"events_{s}") for s in SHARDS[:2]]
    w = on_fake(allowed_datasets=("ga",))
    box = Toolbox(w, w.settings)
    out = box.sql_query("SELECT event_name, COUNT(*) AS n FROM `ga.events_*` "
                        "WHERE _TABLE_SUFFIX BETWEEN '20240101' AND '20240102' GROUP BY 1")
    assert out.result is not None and out.result.rows == [[1]]
    assert "_TABLE_SUFFIX" in (fake.jobs_started()[0]["query"]["query"])


# -- locations and paging ---------------------------------------------------------------


def test_datasets_in_different_locations_are_explained_before_a_join(
        fake: FakeBigQuery, on_fake: Any) -> None:
    fake.locations = {"sales_eu": "EU"}
    w = on_fake(allowed_datasets=("sales_us", "sales_eu"))
    described = {d.id: d.description for d in w.list_datasets()}
    assert described["sales_eu"] == "About sales_eu [location EU]"
    assert described["sales_us"] == "About sales_us [location US]"
    with pytest.raises(QueryError, match="different locations.*sales_eu \\(EU\\).*sales_us "
                                         "\\(US\\)"):
        w.query("SELECT * FROM sales_us.orders JOIN sales_eu.orders USING (id)",
                max_rows=10, timeout_s=10)
    assert not [r for r in fake.requests if r["method"] == "POST"]  # not even a dry run


def test_list_tables_reads_big_pages(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.tables = {f"big.t{i:03d}": ID for i in range(12)}
    w = on_fake(allowed_datasets=("big",))
    assert len(w.list_tables("big")) == 12
    lists = [r for r in fake.requests if r["path"].endswith("/datasets/big/tables")]
    assert len(lists) == 1 and lists[0]["query"]["maxResults"] == "1000"


# -- transient job failures -------------------------------------------------------------


def test_a_job_that_fails_transiently_is_run_again(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.job_mode = "fail_first"
    fake.rows = [[7]]
    r = on_fake().query("SELECT 7 AS n", max_rows=10, timeout_s=20)
    assert r.rows == [[7]]
    first, second = fake.jobs_started()
    assert first["query"]["query"] == second["query"]["query"] == "SELECT 7 AS n"
    ids = [q["body"]["jobReference"]["jobId"] for q in fake.requests
           if q["method"] == "POST" and q["path"].endswith("/jobs")
           and not q["body"]["configuration"].get("dryRun")]
    assert r.job_id == ids[-1] and ids[0] != ids[1]


def test_a_job_that_fails_for_good_is_not_run_again(fake: FakeBigQuery, on_fake: Any) -> None:
    fake.job_mode, fake.fail_reason = "fail_first", "invalidQuery"
    with pytest.raises(QueryError):
        on_fake().query("SELECT 7 AS n", max_rows=10, timeout_s=20)
    assert len(fake.jobs_started()) == 1
