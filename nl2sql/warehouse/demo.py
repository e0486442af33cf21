"""Build the demo warehouse: a DuckDB file shaped like BigQuery's public
``bigquery-public-data.thelook_ecommerce`` dataset, filled with synthetic data.

Everything is drawn in bulk with numpy from one ``np.random.default_rng(seed)``,
so a seed always gives the same rows, and loaded into DuckDB from dicts of numpy
arrays (DuckDB scans them directly; no pandas or pyarrow needed). SQL does only
what it is better at: string formatting and denormalising product columns.

Times are whole seconds in UTC, held as int64 microseconds while generating
(``NULL_TS`` is int64 min, which numpy reads as NaT and DuckDB loads as NULL).
"""

from __future__ import annotations

import contextlib
import datetime
import math
import os
import pathlib
import secrets
from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np

from nl2sql.errors import WarehouseError
from nl2sql.warehouse import demo_places
from nl2sql.warehouse import demo_vocab as V
from nl2sql.warehouse.demo_tables import (
    DEPARTMENT,
    EVENT_TYPES,
    I64,
    PRODUCT,
    draw_events,
    draw_inventory,
    draw_order_items,
    draw_orders,
    draw_products,
    draw_users,
)

DATASET = "thelook_ecommerce"
TABLES: tuple[str, ...] = (
    "distribution_centers", "products", "users", "orders", "order_items", "inventory_items",
    "events",
)  # fmt: skip
MIN_SCALE, MAX_SCALE = 0.01, 10.0

# Rows at scale 1, near the public dataset. Order items (~1.45 per order) and
# events (~6.5 per order plus ~4.4 per anonymous visit, ~2.4M) follow from these.
BASE_ROWS = {"users": 100_000, "products": 29_120, "orders": 125_000,
             "inventory_items": 490_000, "guest_sessions": 360_000}  # fmt: skip

FIRST_AS_OF = datetime.date(2019, 3, 1)  # an earlier end leaves too little history
CHUNK_ROWS = 1_000_000  # rows loaded per INSERT

Progress = Callable[[str, int, int], None]

# BigQuery type -> DuckDB type. TIMESTAMP rather than TIMESTAMPTZ: BigQuery
# TIMESTAMPs are UTC instants, and a plain TIMESTAMP keeps DATE(), EXTRACT and
# TIMESTAMP_TRUNC (as transpiled by sqlglot) independent of the session time zone;
# fetching TIMESTAMPTZ into Python would also need pytz.
_TYPES = {"INT64": "BIGINT", "FLOAT64": "DOUBLE", "STRING": "VARCHAR", "TIMESTAMP": "TIMESTAMP"}

# table -> (description, ((column, BigQuery type, description), ...)), in the
# public dataset's column order; stored in the file as COMMENTs.
SCHEMA = V.SCHEMA


def build_demo(
    path: str | os.PathLike[str],
    *,
    scale: float = 1.0,
    seed: int = 42,
    as_of: datetime.date | None = None,
    progress: Progress | None = None,
) -> pathlib.Path:
    """Build the demo DuckDB file. progress(label, done, total) is called as tables are built.

    The data runs from 2019 to the end of ``as_of`` (default: today, UTC), so
    relative questions ("the last 30 days") have answers, as on the live public
    dataset; the same seed and ``as_of`` always give the same rows.

    The file is built next to ``path`` under a temporary name and renamed over
    ``path`` only when complete, so a failed build leaves any existing file as it was.
    Bad options raise ``ValueError``; a path that cannot be written, ``WarehouseError``.
    """
    as_of = as_of or today()
    check_options(scale, seed, as_of)
    target = pathlib.Path(path)
    if target.is_dir():
        raise WarehouseError(f"cannot write {str(target)!r}: it is a directory; "
                             "give a file path such as data/demo.duckdb")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(tmp))
        try:
            _build(con, float(scale), seed, _end_of(as_of),
                   progress or (lambda label, done, total: None))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        # A WAL left by the old file would be replayed onto the new one.
        pathlib.Path(f"{target}.wal").unlink(missing_ok=True)
        os.replace(tmp, target)
    except (OSError, duckdb.IOException) as e:
        # Unwritable place, full disk: one sentence, not a traceback.
        reason = getattr(e, "strerror", None) or str(e).strip().splitlines()[0]
        raise WarehouseError(f"cannot write {str(target)!r}: {reason}") from None
    finally:
        for leftover in (tmp, pathlib.Path(f"{tmp}.wal")):
            with contextlib.suppress(OSError):  # nothing to clean where nothing was written
                leftover.unlink(missing_ok=True)
    return target


def today() -> datetime.date:
    """The default end of the demo timeline: today's date in UTC."""
    return datetime.datetime.now(datetime.UTC).date()


def _end_of(as_of: datetime.date) -> int:
    """Microseconds since the epoch of the midnight after ``as_of`` (the exclusive end)."""
    return int(np.datetime64(as_of + datetime.timedelta(days=1), "us").astype(I64))


def check_options(scale: float, seed: int, as_of: datetime.date | None = None) -> None:
    """Raise ``ValueError`` unless ``scale``, ``seed`` and ``as_of`` are ones ``build_demo``
    accepts."""
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not (
        math.isfinite(scale) and MIN_SCALE <= scale <= MAX_SCALE
    ):
        raise ValueError(f"scale must be a number from {MIN_SCALE} to {MAX_SCALE}, got {scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if as_of is not None and as_of < FIRST_AS_OF:
        raise ValueError(f"as-of must be {FIRST_AS_OF.isoformat()} or later (the demo's "
                         f"history starts in 2019), got {as_of.isoformat()}")


def _build(con: duckdb.DuckDBPyConnection, scale: float, seed: int, end: int,
           progress: Progress) -> None:
    rng = np.random.default_rng(seed)
    n = {k: max(1, round(v * scale)) for k, v in BASE_ROWS.items()}
    total = len(TABLES)
    _create_schema(con)

    def done(table: str) -> None:
        progress(table, TABLES.index(table) + 1, total)

    progress("schema", 0, total)
    dc = V.DISTRIBUTION_CENTERS
    _insert(con, "distribution_centers", {
        "id": np.array([d[0] for d in dc], dtype=I64),
        "name": np.array([d[1] for d in dc], dtype=object),
        "latitude": np.array([d[2] for d in dc]),
        "longitude": np.array([d[3] for d in dc]),
    })  # fmt: skip
    done("distribution_centers")

    products = draw_products(rng, n["products"])
    _insert(con, "products", products.pop("raw"), select=(
        "r.id, r.cost, r.category, r.brand || ' ' || r.dept_word || ' ' || r.adjective || ' ' "
        "|| r.noun AS name, r.brand, r.retail_price, r.department, "
        f"upper(md5('{seed}-' || r.id)) AS sku, r.distribution_center_id"
    ))  # fmt: skip
    done("products")

    places = demo_places.places()
    users = draw_users(rng, n["users"], places, end)
    _insert(con, "users", users.pop("raw"), select=(
        "r.id, r.first_name, r.last_name, lower(regexp_replace(r.first_name || r.last_name, "
        "'[^A-Za-z]', '', 'g')) || '@example.' || r.tld AS email, r.age, r.gender, r.state, "
        "r.street_number || ' ' || r.street || ' ' || r.street_suffix AS street_address, "
        "r.postal_code, r.city, r.country, r.latitude, r.longitude, r.traffic_source, r.created_at"
    ))  # fmt: skip
    done("users")

    orders = draw_orders(rng, n["orders"], users, end)
    _insert(con, "orders", orders.pop("raw"), order_by="order_id")
    done("orders")

    items = draw_order_items(rng, orders, users, products)
    inventory = draw_inventory(rng, n["inventory_items"], items, products, end)
    items["raw"]["inventory_item_id"] = inventory.pop("sold_ids")
    _insert(con, "order_items", items["raw"])
    done("order_items")

    _insert(con, "inventory_items", inventory["raw"], select=(
        "r.id, r.product_id, r.created_at, r.sold_at, p.cost, p.category AS product_category, "
        "p.name AS product_name, p.brand AS product_brand, p.retail_price AS product_retail_price, "
        "p.department AS product_department, p.sku AS product_sku, "
        "p.distribution_center_id AS product_distribution_center_id"
    ), joins=f"JOIN {DATASET}.products p ON p.id = r.product_id")  # fmt: skip
    done("inventory_items")

    sessions, events = draw_events(rng, n["guest_sessions"], orders, users, items, products,
                                 places, end)
    _load_events(con, sessions, events, places)
    done("events")


def _load_events(
    con: duckdb.DuckDBPyConnection,
    sessions: dict[str, np.ndarray],
    events: dict[str, np.ndarray],
    places: list[tuple[Any, ...]],
) -> None:
    # Strings are formatted once per session and once per product, then joined
    # onto the events: formatting per event row would dominate the build time.
    con.register("place", {"place": np.arange(len(places), dtype=I64),
                           **{k: np.array([p[i] for p in places], dtype=object)
                              for i, k in ((1, "state"), (2, "city"), (3, "postal_code"))}})
    con.register("raw_sessions", sessions)
    con.execute("""
        CREATE TEMP TABLE sessions AS SELECT s.session, NULLIF(s.user_id, 0) AS user_id,
            printf('%08x-%04x-4%03x-%04x-%012x', (s.sa >> 28) & 4294967295,
                   (s.sa >> 12) & 65535, s.sa & 4095, 32768 | ((s.sb >> 48) & 16383),
                   s.sb & 281474976710655) AS session_id,
            concat_ws('.', s.ip >> 24, (s.ip >> 16) & 255, (s.ip >> 8) & 255, s.ip & 255)
                AS ip_address,
            p.city, p.state, p.postal_code, s.browser, s.traffic_source
        FROM raw_sessions s JOIN place p USING (place)""")
    con.unregister("raw_sessions")
    con.unregister("place")
    con.execute(f"""
        CREATE TEMP TABLE product_uri AS SELECT id, '/product/' || id AS product_uri,
            '/department/' || lower(department)
            || '/category/' || regexp_replace(lower(category), '[^a-z0-9]+', '', 'g')
            || '/brand/' || regexp_replace(lower(brand), '[^a-z0-9]+', '', 'g') AS department_uri
        FROM {DATASET}.products""")
    types = ", ".join(f"'{t}'" for t in EVENT_TYPES)
    _insert(con, "events", events, select=(
        "r.id, s.user_id, r.sequence_number, s.session_id, r.created_at, s.ip_address, s.city, "
        "s.state, s.postal_code, s.browser, s.traffic_source, "
        f"CASE r.type WHEN {DEPARTMENT} THEN u.department_uri WHEN {PRODUCT} THEN u.product_uri "
        f"ELSE '/' || [{types}][r.type + 1] END AS uri, [{types}][r.type + 1] AS event_type"
    ), joins="JOIN sessions s USING (session) LEFT JOIN product_uri u ON u.id = r.product_id")
    con.execute("DROP TABLE product_uri; DROP TABLE sessions")


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE SCHEMA {DATASET}")
    for table in TABLES:
        description, columns = SCHEMA[table]
        cols = ", ".join(f"{name} {_TYPES[bq_type]}" for name, bq_type, _ in columns)
        con.execute(f"CREATE TABLE {DATASET}.{table} ({cols})")
        con.execute(f"COMMENT ON TABLE {DATASET}.{table} IS {_sql_str(description)}")
        for name, _, text in columns:
            con.execute(f"COMMENT ON COLUMN {DATASET}.{table}.{name} IS {_sql_str(text)}")


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    raw: dict[str, np.ndarray],
    *,
    select: str = "r.*",
    joins: str = "",
    order_by: str = "id",
) -> None:
    """Load one table from numpy arrays whose rows are already in key order.

    Rows are stored in key order so that even queries without ORDER BY see the same
    order for the same seed. Loading in slices keeps the sort (needed after joins)
    and DuckDB's memory small at large scales."""
    columns = {key: arr.view("datetime64[us]") if key.endswith("_at") and arr.dtype == I64
               else arr for key, arr in raw.items()}  # fmt: skip
    n = len(next(iter(columns.values())))
    for lo in range(0, n, CHUNK_ROWS):
        con.register("raw", {key: arr[lo:lo + CHUNK_ROWS] for key, arr in columns.items()})
        try:
            con.execute(f"INSERT INTO {DATASET}.{table} BY NAME SELECT {select} FROM raw r "
                        f"{joins} ORDER BY r.{order_by}")  # fmt: skip
        finally:
            con.unregister("raw")


# --- generators ---------------------------------------------------------------
