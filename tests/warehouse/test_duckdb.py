"""The DuckDB warehouse over a real file: metadata, queries, and its own safety layers."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nl2sql.config import Settings
from nl2sql.errors import NotFound, QueryError, QueryTimeout, UnsafeSQL, WarehouseError
from nl2sql.warehouse import fetching, open_warehouse
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.shop import build_shop


@pytest.fixture
def shop(tmp_path: Path) -> DuckDBWarehouse:
    wh = DuckDBWarehouse(build_shop(tmp_path))
    yield wh
    wh.close()


def test_each_schema_is_a_dataset(shop: DuckDBWarehouse) -> None:
    assert [d.id for d in shop.list_datasets()] == ["secret", "shop"]


def test_file_named_like_its_schema_resolves_dataset_table(shop: DuckDBWarehouse) -> None:
    # shop.duckdb holds schema `shop`: plain DuckDB calls `shop.customers` ambiguous.
    result = shop.query("SELECT COUNT(*) AS n FROM shop.customers", max_rows=10, timeout_s=5)
    assert result.rows == [[3]]


def test_unknown_dataset_and_table_are_not_found(shop: DuckDBWarehouse) -> None:
    with pytest.raises(NotFound, match="list_datasets"):
        shop.list_tables("nope")
    with pytest.raises(NotFound, match="list_tables"):
        shop.get_table("shop.nope")


def test_values_are_json_safe(shop: DuckDBWarehouse) -> None:
    result = shop.query("SELECT joined, DATE '2020-01-02' + 0 AS d, NUMERIC '1.5' AS n "
                        "FROM shop.customers ORDER BY id LIMIT 1", max_rows=5, timeout_s=5)
    assert result.rows == [["2021-01-05", "2020-01-02", 1.5]]


def test_timeout_interrupts_the_query(shop: DuckDBWarehouse) -> None:
    slow = ("SELECT COUNT(*) FROM shop.purchases a, shop.purchases b, shop.purchases c, "
            "shop.purchases d")
    with pytest.raises(QueryTimeout, match="cancelled"):
        shop.query(slow, max_rows=5, timeout_s=0.2)
    # The connection is still usable afterwards.
    assert shop.query("SELECT 1", max_rows=5, timeout_s=5).rows == [[1]]


def test_a_timeout_that_expires_before_the_query_starts_still_cancels_it(
        shop: DuckDBWarehouse) -> None:
    # With a deadline this short the interrupt fires while the engine check runs
    # or between its statements and the query; DuckDB forgets an interrupt that
    # arrives between statements, so a single one would let the query run on.
    slow = ("SELECT COUNT(*) FROM shop.purchases a, shop.purchases b, shop.purchases c, "
            "shop.purchases d")
    for _ in range(20):
        with pytest.raises(QueryTimeout, match="cancelled"):
            shop.query(slow, max_rows=5, timeout_s=1e-6)
    # No late interrupt reaches the next query on the pooled cursors.
    for _ in range(20):
        assert shop.query("SELECT 1", max_rows=5, timeout_s=5).rows == [[1]]


@pytest.mark.parametrize("sql", [
    "CREATE TABLE shop.x AS SELECT 1",
    "INSERT INTO shop.customers VALUES (9, 'Eve', 'Spain', NULL)",
    "DELETE FROM shop.customers",
    "SELECT 1; DELETE FROM shop.customers",
    "PRAGMA version",
    "",
])
def test_only_one_select_runs_even_if_the_gate_were_bypassed(shop: DuckDBWarehouse, sql: str,
                                                            tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="exactly one SELECT"):
        shop.query(sql, max_rows=5, timeout_s=5)
    con = duckdb.connect(str(tmp_path / "shop.duckdb"), read_only=True)
    assert con.execute("SELECT COUNT(*) FROM shop.shop.customers").fetchone() == (3,)


def test_file_is_read_only_even_for_a_select_that_writes(tmp_path: Path) -> None:
    path = build_shop(tmp_path)
    con = duckdb.connect(str(path))
    con.execute("CREATE SEQUENCE shop.shop.ids")
    con.close()
    wh = DuckDBWarehouse(path)
    try:
        # The engine check refuses it; beneath it, the attachment is read-only.
        with pytest.raises(UnsafeSQL, match="nextval"):
            wh.query("SELECT nextval('shop.ids')", max_rows=5, timeout_s=5)
        cur = wh._cursor()
        with pytest.raises(duckdb.Error, match="read-only"):
            cur.execute("SELECT nextval('shop.ids')")
        wh._release(cur)
    finally:
        wh.close()


def test_filesystem_and_configuration_are_locked(shop: DuckDBWarehouse) -> None:
    with pytest.raises(UnsafeSQL, match="read_csv"):
        shop.query("SELECT * FROM read_csv('/etc/passwd')", max_rows=5, timeout_s=5)
    # Beneath the engine check, the connection itself refuses files and SET.
    cur = shop._cursor()
    try:
        with pytest.raises(duckdb.Error, match="disabled"):
            cur.execute("SELECT * FROM read_csv('/etc/passwd')")
        with pytest.raises(duckdb.Error, match="locked"):
            cur.execute("SET memory_limit = '64GB'")
        settings = cur.execute(
            "SELECT current_setting('lock_configuration'),"
            " current_setting('enable_external_access'),"
            " current_setting('autoinstall_known_extensions'),"
            " current_setting('autoload_known_extensions'),"
            " current_setting('python_enable_replacements'), current_setting('threads')").fetchall()
    finally:
        shop._release(cur)
    assert settings == [(True, False, False, False, False, Settings().duckdb_threads)]


def test_disk_spill_is_capped_at_the_memory_limit(tmp_path: Path) -> None:
    """A sort or join too big for memory spills to temporary files: no more than the
    memory limit of them (DuckDB's default is 90% of the free disk), and no SET lifts it."""
    wh = DuckDBWarehouse(build_shop(tmp_path), Settings(duckdb_memory_limit="300MB"))
    cur = wh._cursor()
    try:
        spill, memory = cur.execute("SELECT current_setting('max_temp_directory_size'), "
                                    "current_setting('memory_limit')").fetchone()
        with pytest.raises(duckdb.Error, match="locked"):
            cur.execute("SET max_temp_directory_size = '1TB'")
    finally:
        wh._release(cur)
        wh.close()
    assert spill == memory == "286.1 MiB"


def test_missing_file_is_a_clear_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(WarehouseError, match="does not exist"):
        open_warehouse(Settings(warehouse=f"duckdb:///{missing}"))
    assert not missing.exists()


def test_sql_error_is_one_line(shop: DuckDBWarehouse) -> None:
    with pytest.raises(QueryError) as e:
        shop.query("SELECT nope FROM shop.customers", max_rows=5, timeout_s=5)
    assert "\n" not in e.value.message and "nope" in e.value.message


def test_timestamps_are_utc_whatever_the_server_zone(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    wh = DuckDBWarehouse(build_shop(tmp_path))
    sql = ("SELECT CAST(TIMESTAMP('2023-01-02 00:00:00') AS STRING) AS s, "
           "TIMESTAMP_TRUNC(TIMESTAMP('2023-01-02 03:00:00'), DAY) AS day")
    assert wh.query(sql, max_rows=5, timeout_s=5).rows == [
        ["2023-01-02 00:00:00+00", "2023-01-02T00:00:00+00:00"]]
    wh.close()


def test_metadata_is_cached_but_callers_get_their_own_copy(shop: DuckDBWarehouse) -> None:
    first = shop.get_table("shop.purchases")
    first.columns.clear()
    first.description = "mutated by a caller"
    again = shop.get_table("shop.purchases")
    assert len(again.columns) == 5 and again.description != "mutated by a caller"


def test_examples_of_a_large_table_are_stable_across_opens(tmp_path: Path) -> None:
    path = tmp_path / "big.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA s; CREATE TABLE s.events AS SELECT i AS id, "
                "CASE WHEN i % 1000 = 0 THEN 'rare' WHEN i % 3 = 0 THEN 'b' ELSE 'a' END AS kind "
                "FROM range(200000) t(i)")
    con.close()
    seen = []
    for _ in range(3):
        wh = DuckDBWarehouse(path)
        seen.append(wh.get_table("s.events").to_dict()["columns"][1]["examples"])
        wh.close()
    assert seen[0] == seen[1] == seen[2]
    assert seen[0][:2] == ["a", "b"]


def test_close_interrupts_running_queries_and_refuses_new_ones(tmp_path: Path) -> None:
    import threading

    wh = DuckDBWarehouse(build_shop(tmp_path))
    slow = ("SELECT COUNT(*) FROM shop.purchases a, shop.purchases b, shop.purchases c, "
            "shop.purchases d, shop.purchases e")
    errors: list[Exception] = []

    def run() -> None:
        try:
            wh.query(slow, max_rows=5, timeout_s=60)
        except Exception as e:  # noqa: BLE001 - the test inspects it
            errors.append(e)

    t = threading.Thread(target=run)
    t.start()
    while not wh.running:  # wait until the query is running
        t.join(0.01)
    wh.close()
    t.join(10)
    assert not t.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], WarehouseError)
    assert "shutting down" in errors[0].message
    with pytest.raises(WarehouseError, match="shutting down"):
        wh.query("SELECT 1", max_rows=5, timeout_s=5)


def test_tables_in_the_main_schema_are_a_dataset(tmp_path: Path) -> None:
    # Most DuckDB files keep their tables in `main`, which DuckDB marks internal.
    path = tmp_path / "plain.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE people AS SELECT range AS id FROM range(4)")
    con.close()
    wh = DuckDBWarehouse(path)
    try:
        assert [d.id for d in wh.list_datasets()] == ["main"]
        assert [t.id for t in wh.list_tables("main")] == ["main.people"]
        assert wh.query("SELECT COUNT(*) FROM main.people", max_rows=5,
                        timeout_s=5).rows == [[4]]
    finally:
        wh.close()


@pytest.mark.parametrize("kind, message", [
    ("directory", "is a directory"),
    ("device", "is not a regular file"),
    ("text", "not a valid DuckDB database"),
    ("empty", "not a valid DuckDB database"),
    ("sqlite", "not a valid DuckDB database"),
])
def test_what_is_not_a_duckdb_file_is_a_one_line_error(tmp_path: Path, kind: str,
                                                        message: str) -> None:
    import sqlite3

    path = tmp_path / "x.duckdb"
    if kind == "directory":
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/null")
    elif kind == "text":
        path.write_text("not a database")
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        # DuckDB would open a SQLite file by downloading its scanner extension.
        sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.close()
    before = sorted(tmp_path.iterdir())
    with pytest.raises(WarehouseError, match=message) as e:
        DuckDBWarehouse(path)
    assert "\n" not in e.value.message
    assert sorted(tmp_path.iterdir()) == before  # nothing created next to it


def test_names_with_quotes_are_described(tmp_path: Path) -> None:
    # Metadata SQL is built from names in the file; they must be quoted, not pasted.
    path = tmp_path / "odd.duckdb"
    con = duckdb.connect(str(path))
    con.execute('CREATE SCHEMA s; CREATE TABLE s."we""ird" ("ki""nd" VARCHAR, n INT)')
    con.execute('''INSERT INTO s."we""ird" VALUES ('a', 1), ('a', 2), ('b', 3)''')
    con.close()
    wh = DuckDBWarehouse(path)
    try:
        table = wh.get_table('s.we"ird').to_dict()
    finally:
        wh.close()
    assert table["row_count"] == 3
    assert table["columns"][0] == {"name": 'ki"nd', "type": "STRING", "examples": ["a", "b"]}


def test_declared_foreign_keys_are_described_as_references(tmp_path: Path) -> None:
    # A declared key says how tables join better than any name: get_table shows it.
    path = tmp_path / "keys.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA s; CREATE TABLE s.owners (pk INT PRIMARY KEY, nm VARCHAR);"
                "CREATE TABLE s.pets (pk INT, keeper INT REFERENCES s.owners (pk), nm VARCHAR)")
    con.close()
    wh = DuckDBWarehouse(path)
    try:
        cols = {c["name"]: c for c in wh.get_table("s.pets").to_dict()["columns"]}
        owners = wh.get_table("s.owners").to_dict()["columns"]
    finally:
        wh.close()
    assert cols["keeper"]["references"] == "s.owners.pk"
    assert "references" not in cols["pk"] and "references" not in cols["nm"]
    assert all("references" not in c for c in owners)


def test_huge_rows_stop_at_the_fetch_budget(shop: DuckDBWarehouse,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The row cap bounds rows, not bytes: each row holds three strings as long as the
    string guards allow. Fetching stops at the byte budget instead of holding max_rows
    copies of them in the worker."""
    monkeypatch.setattr(fetching, "MAX_FETCH_BYTES", 1_000_000)
    sql = ("WITH a AS (SELECT REPEAT('x', 100000) AS s) "
           "SELECT s AS s1, s AS s2, s AS s3 FROM a, UNNEST(GENERATE_ARRAY(1, 50)) AS i")
    result = shop.query(sql, max_rows=100, timeout_s=10)
    assert result.truncated and result.truncated_reason == "bytes"
    assert result.total_rows is None
    assert len(result.rows) == 3  # 300000 characters each: the fourth would pass 1 MB
    assert shop.query("SELECT 1 AS x", max_rows=100, timeout_s=10).truncated_reason is None
