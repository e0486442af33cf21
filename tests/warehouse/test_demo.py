"""The demo warehouse generator: shape, vocabulary, consistency, determinism, safety."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot

from nl2sql.warehouse.demo import DATASET, TABLES, build_demo

SEED = 11
AS_OF = datetime.date(2025, 12, 31)  # the timeline the assertions below were written for

# The public dataset's columns in order (geography columns left out), with the
# DuckDB type each BigQuery type maps to. Written out here, not read from the
# module, so the test pins the contract rather than echoing the code.
INT, FLT, STR, TS = "BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP"
EXPECTED_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "distribution_centers": [("id", INT), ("name", STR), ("latitude", FLT), ("longitude", FLT)],
    "events": [("id", INT), ("user_id", INT), ("sequence_number", INT), ("session_id", STR),
               ("created_at", TS), ("ip_address", STR), ("city", STR), ("state", STR),
               ("postal_code", STR), ("browser", STR), ("traffic_source", STR), ("uri", STR),
               ("event_type", STR)],
    "inventory_items": [("id", INT), ("product_id", INT), ("created_at", TS), ("sold_at", TS),
                        ("cost", FLT), ("product_category", STR), ("product_name", STR),
                        ("product_brand", STR), ("product_retail_price", FLT),
                        ("product_department", STR), ("product_sku", STR),
                        ("product_distribution_center_id", INT)],
    "order_items": [("id", INT), ("order_id", INT), ("user_id", INT), ("product_id", INT),
                    ("inventory_item_id", INT), ("status", STR), ("created_at", TS),
                    ("shipped_at", TS), ("delivered_at", TS), ("returned_at", TS),
                    ("sale_price", FLT)],
    "orders": [("order_id", INT), ("user_id", INT), ("status", STR), ("gender", STR),
               ("created_at", TS), ("returned_at", TS), ("shipped_at", TS), ("delivered_at", TS),
               ("num_of_item", INT)],
    "products": [("id", INT), ("cost", FLT), ("category", STR), ("name", STR), ("brand", STR),
                 ("retail_price", FLT), ("department", STR), ("sku", STR),
                 ("distribution_center_id", INT)],
    "users": [("id", INT), ("first_name", STR), ("last_name", STR), ("email", STR), ("age", INT),
              ("gender", STR), ("state", STR), ("street_address", STR), ("postal_code", STR),
              ("city", STR), ("country", STR), ("latitude", FLT), ("longitude", FLT),
              ("traffic_source", STR), ("created_at", TS)],
}  # fmt: skip

STATUSES = {"Complete", "Returned", "Shipped", "Processing", "Cancelled"}
CATEGORIES = {
    "Accessories", "Active", "Blazers & Jackets", "Clothing Sets", "Dresses",
    "Fashion Hoodies & Sweatshirts", "Intimates", "Jeans", "Jumpsuits & Rompers", "Leggings",
    "Maternity", "Outerwear & Coats", "Pants", "Pants & Capris", "Plus", "Shorts", "Skirts",
    "Sleep & Lounge", "Socks", "Socks & Hosiery", "Suits", "Suits & Sport Coats", "Sweaters",
    "Swim", "Tops & Tees", "Underwear",
}  # fmt: skip
CENTERS = {
    "Memphis TN", "Chicago IL", "Houston TX", "Los Angeles CA", "New Orleans LA",
    "Port Authority of New York/New Jersey NY/NJ", "Philadelphia PA", "Mobile AL",
    "Charleston SC", "Savannah GA",
}  # fmt: skip

# Each query counts rows breaking one promise of the contract: all must be 0.
VIOLATIONS = {
    "order item without its order": """
        SELECT count(*) FROM order_items i LEFT JOIN orders o USING (order_id)
        WHERE o.order_id IS NULL""",
    "order item user differs from its order's": """
        SELECT count(*) FROM order_items i JOIN orders o USING (order_id)
        WHERE i.user_id IS DISTINCT FROM o.user_id""",
    "order item status differs from its order's": """
        SELECT count(*) FROM order_items i JOIN orders o USING (order_id)
        WHERE i.status <> o.status""",
    "order item times differ from its order's": """
        SELECT count(*) FROM order_items i JOIN orders o USING (order_id)
        WHERE i.created_at <> o.created_at OR i.shipped_at IS DISTINCT FROM o.shipped_at
           OR i.delivered_at IS DISTINCT FROM o.delivered_at
           OR i.returned_at IS DISTINCT FROM o.returned_at""",
    "order item without its product": """
        SELECT count(*) FROM order_items i LEFT JOIN products p ON p.id = i.product_id
        WHERE p.id IS NULL""",
    "order item sale_price is not the retail price": """
        SELECT count(*) FROM order_items i JOIN products p ON p.id = i.product_id
        WHERE i.sale_price <> p.retail_price""",
    "order without its user": """
        SELECT count(*) FROM orders o LEFT JOIN users u ON u.id = o.user_id WHERE u.id IS NULL""",
    "order gender differs from its user's": """
        SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id
        WHERE o.gender <> u.gender""",
    "order placed before its user signed up": """
        SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id
        WHERE o.created_at < u.created_at""",
    "num_of_item differs from the item count": """
        SELECT count(*) FROM orders o LEFT JOIN
            (SELECT order_id, count(*) AS n FROM order_items GROUP BY order_id) c USING (order_id)
        WHERE o.num_of_item IS DISTINCT FROM c.n OR o.num_of_item NOT BETWEEN 1 AND 4""",
    "order item without its inventory item": """
        SELECT count(*) FROM order_items i LEFT JOIN inventory_items v
            ON v.id = i.inventory_item_id WHERE v.id IS NULL""",
    "inventory item sold twice": """
        SELECT count(*) FROM (SELECT inventory_item_id FROM order_items
                              GROUP BY 1 HAVING count(*) > 1)""",
    "sold unit is another product or not marked sold": """
        SELECT count(*) FROM order_items i JOIN inventory_items v ON v.id = i.inventory_item_id
        WHERE v.product_id <> i.product_id OR v.sold_at IS NULL OR v.sold_at < v.created_at""",
    "unit marked sold without an order item": """
        SELECT (SELECT count(*) FROM inventory_items WHERE sold_at IS NOT NULL)
             - (SELECT count(*) FROM order_items)""",
    "inventory copy differs from its product": """
        SELECT count(*) FROM inventory_items v LEFT JOIN products p ON p.id = v.product_id
        WHERE p.id IS NULL OR v.cost <> p.cost OR v.product_category <> p.category
           OR v.product_name <> p.name OR v.product_brand <> p.brand
           OR v.product_retail_price <> p.retail_price OR v.product_department <> p.department
           OR v.product_sku <> p.sku
           OR v.product_distribution_center_id <> p.distribution_center_id""",
    "product cost not below retail price": """
        SELECT count(*) FROM products WHERE NOT (0 < cost AND cost < retail_price)""",
    "product without its distribution center": """
        SELECT count(*) FROM products p LEFT JOIN distribution_centers d
            ON d.id = p.distribution_center_id WHERE d.id IS NULL""",
    "user age outside 12-70": "SELECT count(*) FROM users WHERE age NOT BETWEEN 12 AND 70",
    "timestamps out of order": """
        SELECT count(*) FROM orders
        WHERE shipped_at < created_at OR delivered_at < shipped_at OR returned_at < delivered_at""",
    "timestamps not matching the status": """
        SELECT count(*) FROM orders WHERE CASE status
            WHEN 'Processing' THEN shipped_at IS NOT NULL OR delivered_at IS NOT NULL
                                   OR returned_at IS NOT NULL
            WHEN 'Cancelled' THEN shipped_at IS NOT NULL OR delivered_at IS NOT NULL
                                  OR returned_at IS NOT NULL
            WHEN 'Shipped' THEN shipped_at IS NULL OR delivered_at IS NOT NULL
                                OR returned_at IS NOT NULL
            WHEN 'Complete' THEN shipped_at IS NULL OR delivered_at IS NULL
                                 OR returned_at IS NOT NULL
            WHEN 'Returned' THEN shipped_at IS NULL OR delivered_at IS NULL OR returned_at IS NULL
            ELSE true END""",
    "event of an unknown user": """
        SELECT count(*) FROM events e LEFT JOIN users u ON u.id = e.user_id
        WHERE e.user_id IS NOT NULL AND u.id IS NULL""",
    "product page of an unknown product": """
        SELECT count(*) FROM events e LEFT JOIN products p
            ON '/product/' || p.id = e.uri
        WHERE e.event_type = 'product' AND p.id IS NULL""",
    "session sequence numbers not 1..n in time order": """
        SELECT count(*) FROM (
            SELECT sequence_number, row_number() OVER (PARTITION BY session_id
                ORDER BY created_at, sequence_number) AS rn,
                lag(created_at) OVER (PARTITION BY session_id ORDER BY sequence_number) AS prev,
                created_at
            FROM events) WHERE sequence_number <> rn OR created_at < prev""",
    "purchase events do not match orders": """
        SELECT abs((SELECT count(*) FROM events WHERE event_type = 'purchase')
                 - (SELECT count(*) FROM orders))""",
}


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, int, int]]]:
    calls: list[tuple[str, int, int]] = []
    path = tmp_path_factory.mktemp("demo") / "nested" / "demo.duckdb"
    out = build_demo(path, scale=0.01, seed=SEED, as_of=AS_OF,
                     progress=lambda label, done, total: calls.append((label, done, total)))
    assert out == path
    return path, calls


@pytest.fixture(scope="module")
def con(built: tuple[Path, Any]) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(built[0]), read_only=True)
    c.execute(f"SET schema = '{DATASET}'")
    yield c
    c.close()


def test_tables_and_columns_match_the_public_dataset(con: duckdb.DuckDBPyConnection) -> None:
    assert set(TABLES) == set(EXPECTED_COLUMNS) and len(TABLES) == 7
    for table, expected in EXPECTED_COLUMNS.items():
        got = _fetch(con, f"""SELECT column_name, data_type FROM duckdb_columns()
                              WHERE schema_name = '{DATASET}' AND table_name = '{table}'
                              ORDER BY column_index""")
        assert got == expected, table
    schemas = {r[0] for r in _fetch(con, "SELECT schema_name FROM duckdb_schemas()")}
    assert DATASET in schemas


def test_progress_reports_every_table_in_build_order(built: tuple[Path, Any]) -> None:
    calls = built[1]
    finished = [(label, done) for label, done, total in calls if done > 0]
    assert finished == [(t, i) for i, t in enumerate(TABLES, start=1)]
    assert all(total == len(TABLES) for _, _, total in calls)


def test_row_counts_follow_the_scale(con: duckdb.DuckDBPyConnection) -> None:
    counts = {t: _fetch(con, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}
    assert counts["distribution_centers"] == 10
    assert counts["users"] == 1000 and counts["orders"] == 1250
    assert 250 <= counts["products"] <= 320
    assert 1.3 < counts["order_items"] / counts["orders"] < 1.6
    assert counts["inventory_items"] > counts["order_items"]
    assert counts["events"] > 15 * counts["orders"]


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_consistency(con: duckdb.DuckDBPyConnection, name: str) -> None:
    assert _fetch(con, VIOLATIONS[name]) == [(0,)], name


def _values(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set[Any]:
    return {r[0] for r in _fetch(con, f"SELECT DISTINCT {column} FROM {table}")}


def test_vocabularies_follow_the_public_dataset(con: duckdb.DuckDBPyConnection) -> None:
    assert _values(con, "orders", "status") == STATUSES
    assert _values(con, "order_items", "status") == STATUSES
    assert _values(con, "users", "gender") == {"M", "F"} == _values(con, "orders", "gender")
    assert _values(con, "products", "department") == {"Men", "Women"}
    categories = _values(con, "products", "category")
    assert categories <= CATEGORIES and len(categories) >= 20
    assert _values(con, "distribution_centers", "name") == CENTERS
    assert {"United States", "China", "Brasil", "United Kingdom", "South Korea"} <= _values(
        con, "users", "country")
    assert {"California", "Texas", "New York"} <= _values(con, "users", "state")
    assert _values(con, "users", "traffic_source") == {
        "Search", "Organic", "Facebook", "Email", "Display"}
    assert _values(con, "events", "traffic_source") == {
        "Email", "Adwords", "Organic", "YouTube", "Facebook"}
    assert _values(con, "events", "browser") == {"Chrome", "Safari", "Firefox", "IE", "Other"}
    assert _values(con, "events", "event_type") == {
        "home", "department", "product", "cart", "purchase", "cancel"}
    assert {"Calvin Klein", "Levi's"} <= _values(con, "products", "brand")
    assert _fetch(con, "SELECT count(*) FROM products WHERE sku NOT SIMILAR TO '[0-9A-F]{32}'"
                  ) == [(0,)]  # fmt: skip
    assert _fetch(con, "SELECT count(*) FROM events WHERE ip_address NOT SIMILAR TO "
                  r"'\d+\.\d+\.\d+\.\d+' OR session_id NOT SIMILAR TO '[0-9a-f-]{36}'") == [(0,)]


def test_distributions_are_skewed(con: duckdb.DuckDBPyConnection) -> None:
    top = [r[0] for r in _fetch(con, "SELECT country FROM users GROUP BY 1 "
                                     "ORDER BY count(*) DESC LIMIT 3")]  # fmt: skip
    assert top == ["China", "United States", "Brasil"]
    assert _fetch(con, "SELECT traffic_source FROM users GROUP BY 1 ORDER BY count(*) DESC "
                       "LIMIT 1") == [("Search",)]  # fmt: skip
    by_year = _fetch(con, "SELECT year(created_at), count(*) FROM orders GROUP BY 1 ORDER BY 1")
    assert [y for y, _ in by_year] == list(range(2019, 2026))
    assert by_year[-1][1] > 2 * by_year[0][1]  # the business grows


def _time_range(path: Path) -> tuple[datetime.datetime, datetime.datetime]:
    """Earliest and latest timestamp of any column of any table in the file."""
    c = duckdb.connect(str(path), read_only=True)
    try:
        parts = [f"SELECT min({column}) AS lo, max({column}) AS hi FROM {DATASET}.{table}"
                 for table, columns in EXPECTED_COLUMNS.items()
                 for column, type_ in columns if type_ == TS]
        return c.execute(f"SELECT min(lo), max(hi) FROM ({' UNION ALL '.join(parts)})").fetchone()
    finally:
        c.close()


def test_all_timestamps_run_from_2019_to_the_end_of_as_of(built: tuple[Path, Any]) -> None:
    lo, hi = _time_range(built[0])
    assert lo.year == 2019
    # The last day holds data (orders are placed every day at scale 0.01), none after it.
    assert hi.date() == AS_OF, hi


def test_by_default_the_timeline_ends_today_so_relative_questions_have_answers(
    tmp_path: Path,
) -> None:
    path = build_demo(tmp_path / "today.duckdb", scale=0.01, seed=SEED)
    before = datetime.datetime.now(datetime.UTC).date()
    c = duckdb.connect(str(path), read_only=True)
    try:
        recent = c.execute(f"SELECT count(*) FROM {DATASET}.orders WHERE created_at >= "
                           "CAST(current_date - INTERVAL 30 DAY AS TIMESTAMP)").fetchone()[0]
    finally:
        c.close()
    assert recent > 0
    _, hi = _time_range(path)
    assert before <= hi.date() <= datetime.datetime.now(datetime.UTC).date()


def test_as_of_pins_the_data_and_another_date_gives_other_data(
    built: tuple[Path, Any], tmp_path: Path
) -> None:
    first = _fingerprint(built[0])
    again = _fingerprint(build_demo(tmp_path / "again.duckdb", scale=0.01, seed=SEED,
                                    as_of=AS_OF))
    later = build_demo(tmp_path / "later.duckdb", scale=0.01, seed=SEED,
                       as_of=AS_OF + datetime.timedelta(days=200))
    assert again == first
    assert _fingerprint(later)["orders"] != first["orders"]
    assert _time_range(later)[1].date() == AS_OF + datetime.timedelta(days=200)


def test_an_as_of_before_the_history_starts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="as-of must be 2019-03-01 or later"):
        build_demo(tmp_path / "x.duckdb", scale=0.01, as_of=datetime.date(2018, 12, 31))


def test_every_table_and_column_has_a_description(con: duckdb.DuckDBPyConnection) -> None:
    tables = _fetch(con, f"SELECT table_name, comment FROM duckdb_tables() "
                         f"WHERE schema_name = '{DATASET}'")  # fmt: skip
    assert {t for t, _ in tables} == set(TABLES)
    assert all(c and len(c) > 10 for _, c in tables)
    columns = _fetch(con, f"SELECT table_name, column_name, comment FROM duckdb_columns() "
                          f"WHERE schema_name = '{DATASET}'")  # fmt: skip
    assert len(columns) == sum(len(c) for c in EXPECTED_COLUMNS.values())
    missing = [(t, c) for t, c, comment in columns if not comment]
    assert missing == []
    status = _fetch(con, f"SELECT comment FROM duckdb_columns() WHERE schema_name = '{DATASET}' "
                         "AND table_name = 'orders' AND column_name = 'status'")[0][0]
    assert all(s in status for s in STATUSES)


GOOGLESQL = [
    "SELECT EXTRACT(YEAR FROM created_at) AS y, COUNT(*) AS n FROM orders GROUP BY y ORDER BY y",
    "SELECT DATE(created_at) AS d, SUM(sale_price) FROM order_items GROUP BY d ORDER BY d",
    "SELECT TIMESTAMP_TRUNC(created_at, MONTH) AS m, COUNT(*) FROM orders GROUP BY m ORDER BY m",
    "SELECT DATE_TRUNC(DATE(created_at), MONTH) AS m, COUNT(*) FROM users GROUP BY m ORDER BY m",
    "SELECT AVG(TIMESTAMP_DIFF(delivered_at, shipped_at, HOUR)) FROM orders",
    "SELECT COUNT(*) FROM orders WHERE created_at >= TIMESTAMP('2024-01-01')",
    "SELECT COUNT(*) FROM orders WHERE DATE(created_at) BETWEEN '2024-01-01' AND '2024-12-31'",
    "SELECT FORMAT_TIMESTAMP('%Y-%m', created_at) AS ym, COUNT(*) FROM orders GROUP BY ym",
    "SELECT DATE_DIFF(DATE(delivered_at), DATE(created_at), DAY) FROM orders LIMIT 5",
]


@pytest.mark.parametrize("sql", GOOGLESQL)
def test_googlesql_date_functions_run_after_transpiling(
    con: duckdb.DuckDBPyConnection, sql: str
) -> None:
    duck = sqlglot.transpile(sql, read="bigquery", write="duckdb")[0]
    cur = con.cursor()
    try:
        cur.execute(f"SET schema = '{DATASET}'")
        cur.execute("SET TimeZone = 'UTC'")  # BigQuery TIMESTAMPs are UTC
        rows = cur.execute(duck).fetchall()
    finally:
        cur.close()
    assert rows


def test_timestamp_literals_compare_as_utc(con: duckdb.DuckDBPyConnection) -> None:
    sql = "SELECT COUNT(*) FROM orders WHERE created_at >= TIMESTAMP('2024-01-01')"
    cur = con.cursor()
    try:
        cur.execute(f"SET schema = '{DATASET}'")
        cur.execute("SET TimeZone = 'UTC'")
        got = cur.execute(sqlglot.transpile(sql, read="bigquery", write="duckdb")[0]).fetchall()
        want = cur.execute("SELECT COUNT(*) FROM orders WHERE year(created_at) >= 2024").fetchall()
    finally:
        cur.close()
    assert got == want


def _fingerprint(path: Path) -> dict[str, str]:
    """An md5 of every table's rows, in key order."""
    out = {}
    c = duckdb.connect(str(path), read_only=True)
    try:
        for table in TABLES:
            key = "order_id" if table == "orders" else "id"
            out[table] = c.execute(
                f"SELECT md5(string_agg(r::VARCHAR, chr(10) ORDER BY r.{key})) "
                f"FROM {DATASET}.{table} r").fetchall()[0][0]  # fmt: skip
    finally:
        c.close()
    return out


def test_same_seed_same_data_other_seed_other_data(
    built: tuple[Path, Any], tmp_path: Path
) -> None:
    first = _fingerprint(built[0])
    again = _fingerprint(build_demo(tmp_path / "again.duckdb", scale=0.01, seed=SEED,
                                    as_of=AS_OF))
    other = _fingerprint(build_demo(tmp_path / "other.duckdb", scale=0.01, seed=SEED + 1,
                                    as_of=AS_OF))
    assert again == first
    assert all(other[t] != first[t] for t in TABLES if t != "distribution_centers")


@pytest.mark.parametrize("scale", [0, 0.001, 10.5, -1, math.nan, math.inf, "1", True, None])
def test_bad_scale_is_refused(tmp_path: Path, scale: Any) -> None:
    with pytest.raises(ValueError, match="scale"):
        build_demo(tmp_path / "x.duckdb", scale=scale)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("seed", [-1, 1.5, "42", True])
def test_bad_seed_is_refused(tmp_path: Path, seed: Any) -> None:
    with pytest.raises(ValueError, match="seed"):
        build_demo(tmp_path / "x.duckdb", scale=0.01, seed=seed)


def test_failed_build_leaves_the_existing_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    path.write_bytes(b"the previous warehouse")

    def explode(label: str, done: int, total: int) -> None:
        if label == "orders":
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        build_demo(path, scale=0.01, progress=explode)
    assert path.read_bytes() == b"the previous warehouse"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb"]  # no temp files left


def test_successful_build_replaces_the_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    path.write_bytes(b"old")
    build_demo(path, scale=0.01)
    c = duckdb.connect(str(path), read_only=True)
    try:
        assert c.execute(f"SELECT count(*) FROM {DATASET}.users").fetchall() == [(1000,)]
    finally:
        c.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb"]


def test_a_path_that_cannot_be_written_is_a_warehouse_error(tmp_path: Path) -> None:
    from nl2sql.errors import WarehouseError

    with pytest.raises(WarehouseError, match="is a directory"):
        build_demo(tmp_path, scale=0.01)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(WarehouseError, match="cannot write"):
        build_demo(blocker / "demo.duckdb", scale=0.01)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
