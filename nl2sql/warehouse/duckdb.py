"""The embedded warehouse: a DuckDB file, opened read-only; each schema is a dataset.

SQL arrives as GoogleSQL that passed the gate; it is transpiled with sqlglot.
Layers of our own, trusting no one before us: DuckDB's own parser must see
exactly one SELECT, the file is attached READ_ONLY, external access (files,
network, extensions) is disabled and the configuration locked, queries are
interrupted at the timeout, and at most ``max_rows + 1`` rows, within a byte
budget, are fetched.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from nl2sql.config import Settings
from nl2sql.errors import NotFound, QueryError, QueryTimeout, WarehouseError
from nl2sql.safety.engine import (
    EngineRejected,
    check_engine,
    engine_allows,
    scrub,
    shadowing_functions,
    tainted_definitions,
)
from nl2sql.safety.transpile import to_duckdb
from nl2sql.warehouse.base import ColumnInfo, DatasetInfo, QueryResult, TableInfo, Warehouse
from nl2sql.warehouse.duckdb_guards import check_file, one_select
from nl2sql.warehouse.duckdb_types import bigquery_type
from nl2sql.warehouse.fetching import fetch_bounded
from nl2sql.warehouse.values import json_safe

# The attached file gets a fixed catalog name so that a file named like one of
# its schemas (thelook_ecommerce.duckdb) does not make `schema.table` ambiguous.
CATALOG = "nl2sql_wh"
HIDDEN_SCHEMAS = ("information_schema", "pg_catalog")
# Where the dataset-level INFORMATION_SCHEMA views are built: the in-memory
# catalog the connection opens with, never the (read-only) file.
INFO_SCHEMA = "memory.nl2sql_info"
EXAMPLE_MAX_DISTINCT = 25  # text columns with at most this many values get examples
EXAMPLE_COUNT = 8
T = TypeVar("T")


class DuckDBWarehouse(Warehouse):
    kind = "DuckDB warehouse"

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or Settings()
        check_file(self.path)
        try:
            # Never fetch or load an extension on our own: opening a SQLite or
            # Postgres file would otherwise download a scanner from the internet.
            # No replacement scans either: a name must never read a Python object
            # (a DataFrame in some caller's frame). Given at connect, so every
            # cursor inherits them; a SET would only reach this session.
            # Memory, disk spill (by default 90% of the free disk) and threads are
            # capped per warehouse (one per service worker): a query that needs more
            # fails instead of growing the worker until the machine swaps or fills up.
            self._con = duckdb.connect(":memory:", config={
                "autoinstall_known_extensions": False, "autoload_known_extensions": False,
                "python_enable_replacements": False,
                "memory_limit": self.settings.duckdb_memory_limit,
                "max_temp_directory_size": self.settings.duckdb_memory_limit,
                "threads": self.settings.duckdb_threads})
            quoted = str(self.path.resolve()).replace("'", "''")
            # TYPE DUCKDB: a file in another format is refused, not handed to a scanner.
            self._con.execute(f"ATTACH '{quoted}' AS {CATALOG} (TYPE DUCKDB, READ_ONLY)")
            self._con.execute(f"USE {CATALOG}")
            # GoogleSQL timestamps are UTC; sqlglot casts TIMESTAMP('...') literals to
            # TIMESTAMPTZ, so the session zone must be UTC or results carry local offsets.
            self._con.execute("SET GLOBAL TimeZone = 'UTC'")
            self._con.execute("SET enable_external_access = false")
            self._con.execute("SET lock_configuration = true")
        except (duckdb.Error, ValueError) as e:
            raise WarehouseError(
                f"cannot open DuckDB file {str(self.path)!r}: {_first_line(str(e))}") from None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)  # signalled as queries finish
        self._active: set[duckdb.DuckDBPyConnection] = set()
        self._closed = False
        # The file is attached READ_ONLY and DuckDB's file lock keeps writers out
        # while we hold it, so metadata cannot change: cache it for our lifetime.
        self._metadata: dict[tuple[str, str], Any] = {}
        self._info_views: dict[str, str] | None = None
        # engine.shadowing_functions and engine.tainted_definitions, computed once
        self._engine_facts: tuple[frozenset[str], frozenset[str]] | None = None
        self._info_lock = threading.Lock()

    @property
    def running(self) -> int:
        """Queries in progress now (``close`` interrupts them)."""
        with self._lock:
            return len(self._active)

    def close(self, wait_s: float = 5.0) -> None:
        """Interrupt running queries, let them unwind, then close the file."""
        deadline = time.monotonic() + wait_s
        with self._idle:
            self._closed = True
            # Interrupt repeatedly: one sent before a query's execute() began is lost.
            while self._active and time.monotonic() < deadline:
                for cur in self._active:
                    cur.interrupt()
                self._idle.wait(timeout=0.05)
            if not self._active:  # still busy: the OS reclaims the file at exit
                self._con.close()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # One cursor per call: DuckDB connections are not shared across threads.
        # A cursor is a new session: the catalog choice (USE) is per session,
        # while external access and the configuration lock are database-wide.
        with self._idle:
            if self._closed:
                raise WarehouseError("the warehouse is shutting down; try again")
            cur = self._con.cursor()
            self._active.add(cur)
        try:
            cur.execute(f"USE {CATALOG}")
        except duckdb.Error:
            self._release(cur)
            raise WarehouseError("the warehouse is shutting down; try again") from None
        return cur

    def _release(self, cur: duckdb.DuckDBPyConnection) -> None:
        cur.close()
        with self._idle:
            self._active.discard(cur)
            self._idle.notify_all()

    def _cached(self, key: tuple[str, str], compute: Callable[[], T]) -> T:
        """``compute()`` once per key; callers get their own copy to mutate."""
        if key not in self._metadata:
            value = compute()
            with self._lock:
                self._metadata.setdefault(key, value)
        return copy.deepcopy(self._metadata[key])

    def _fetch(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        cur = self._cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        except duckdb.Error as e:
            if self._closed:  # close() interrupted it
                raise WarehouseError("the warehouse is shutting down; try again") from None
            raise WarehouseError(f"reading metadata failed: {_first_line(str(e))}") from None
        finally:
            self._release(cur)

    # -- metadata ----------------------------------------------------------------

    def list_datasets(self) -> list[DatasetInfo]:
        return self._cached(("datasets", ""), self._list_datasets)

    def _list_datasets(self) -> list[DatasetInfo]:
        # Not `NOT internal`: DuckDB marks `main` internal, and `main` is where
        # most DuckDB files keep their tables.
        rows = self._fetch(
            "SELECT s.schema_name, s.comment FROM duckdb_schemas() s "
            "WHERE s.database_name = ? AND s.schema_name NOT IN (?, ?) "
            "AND s.schema_name IN (SELECT schema_name FROM duckdb_tables() WHERE database_name = ? "
            "  UNION ALL SELECT schema_name FROM duckdb_views() "
            "  WHERE database_name = ? AND NOT internal) "
            "ORDER BY s.schema_name",
            [CATALOG, *HIDDEN_SCHEMAS, CATALOG, CATALOG],
        )
        return [DatasetInfo(name, comment or None) for name, comment in rows]

    def _dataset_name(self, dataset_id: str) -> str:
        for d in self.list_datasets():
            if d.id.lower() == dataset_id.lower():
                return d.id
        raise NotFound(f"dataset {dataset_id!r} not found; call list_datasets")

    def list_tables(self, dataset_id: str) -> list[TableInfo]:
        schema = self._dataset_name(dataset_id)
        return self._cached(("tables", schema), lambda: self._list_tables(schema))

    def _list_tables(self, schema: str) -> list[TableInfo]:
        rows = self._fetch(
            "SELECT table_name, comment, estimated_size FROM duckdb_tables() "
            "WHERE database_name = ? AND schema_name = ? "
            "UNION ALL SELECT view_name, comment, NULL FROM duckdb_views() "
            "WHERE database_name = ? AND schema_name = ? AND NOT internal ORDER BY 1",
            [CATALOG, schema, CATALOG, schema],
        )
        return [TableInfo(f"{schema}.{name}", comment or None, size)
                for name, comment, size in rows]

    def get_table(self, table_id: str) -> TableInfo:
        dataset, _, name = table_id.rpartition(".")
        schema = self._dataset_name(dataset)
        match = [t for t in self.list_tables(schema) if t.id.lower() == f"{schema}.{name}".lower()]
        if not match:
            raise NotFound(f"table {table_id!r} not found; call list_tables('{schema}')")
        table = match[0]
        return self._cached(("table", table.id), lambda: self._describe(schema, table))

    def _describe(self, schema: str, table: TableInfo) -> TableInfo:
        table_name = table.id[len(schema) + 1:]
        cols = self._fetch(
            "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
            "WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index",
            [CATALOG, schema, table_name],
        )
        # Examples and the row count are read like a query, so they pass the same
        # engine check: a view of this dataset may select from one that is not allowed.
        if self._readable(f"SELECT * FROM {_ident(schema)}.{_ident(table_name)}"):
            text_columns = [c[0] for c in cols if c[1] == "VARCHAR"]
            examples = self._text_examples(schema, table_name, text_columns)
            table.row_count = self._fetch(
                f"SELECT count(*) FROM {_ident(schema)}.{_ident(table_name)}")[0][0]
        else:
            examples, table.row_count = {}, None
        # declared single-column foreign keys: column -> schema.table.column
        refs = {c[0]: f"{schema}.{t}.{k[0]}" for c, t, k in self._fetch(
            "SELECT constraint_column_names, referenced_table, referenced_column_names FROM "
            "duckdb_constraints() WHERE database_name = ? AND schema_name = ? AND table_name = ?"
            " AND constraint_type = 'FOREIGN KEY'", [CATALOG, schema, table_name],
        ) if len(c) == 1 and len(k) == 1}
        table.columns = [
            ColumnInfo(
                name=n,
                type=bigquery_type(t),
                mode="REPEATED" if t.endswith("[]") else ("NULLABLE" if nullable else "REQUIRED"),
                description=comment or None,
                examples=examples.get(n),
                references=refs.get(n),
            )
            for n, t, nullable, comment in cols
        ]
        return table

    def _text_examples(self, schema: str, table: str, columns: list[str]) -> dict[str, list[str]]:
        """Values of low-cardinality text columns, most frequent first."""
        if not columns:
            return {}
        # approx_count_distinct over a sample keeps this cheap on large tables; a
        # seeded (REPEATABLE) sample keeps the examples, and so the answers, stable.
        sample = (f"(SELECT * FROM {_ident(schema)}.{_ident(table)} "
                  "USING SAMPLE reservoir(20000 ROWS) REPEATABLE (42))")
        counts = self._fetch(
            "SELECT " + ", ".join(f"approx_count_distinct({_ident(c)})" for c in columns)
            + f" FROM {sample}"
        )[0]
        found: dict[str, list[str]] = {}
        for col, n in zip(columns, counts, strict=True):
            if not n or n > EXAMPLE_MAX_DISTINCT:
                continue
            vals = self._fetch(
                f"SELECT {_ident(col)} FROM {sample} WHERE {_ident(col)} IS NOT NULL "
                f"GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {EXAMPLE_COUNT}"
            )
            found[col] = [str(v[0]) for v in vals]
        return found

    # -- queries -----------------------------------------------------------------

    def readable_schemas(self) -> frozenset[str]:
        """Schemas a query may read: the allowlist, or every dataset when it is empty;
        plus the schema holding this warehouse's INFORMATION_SCHEMA views."""
        if self.settings.allowed_datasets:
            datasets = frozenset(self.settings.allowed_datasets)
        else:
            datasets = frozenset(d.id for d in self.list_datasets())
        return datasets | {INFO_SCHEMA}

    def _information_schema(self) -> dict[str, str]:
        """BigQuery's dataset-level COLUMNS and TABLES views, built once in the in-memory
        catalog from the readable datasets only (DuckDB has no such views per schema)."""
        with self._info_lock:  # one build, even when the first queries run in parallel
            if self._info_views is None:
                self._info_views = self._build_information_schema()
            return self._info_views

    def _build_information_schema(self) -> dict[str, str]:
        views = {"COLUMNS": f"{INFO_SCHEMA}.columns", "TABLES": f"{INFO_SCHEMA}.tables"}
        datasets = self.readable_schemas() - {INFO_SCHEMA}
        tables = [t for d in self.list_datasets() if d.id in datasets
                  for t in self.list_tables(d.id)]
        columns = self._fetch(
            "SELECT schema_name, table_name, column_name, column_index, is_nullable, data_type "
            "FROM duckdb_columns() WHERE database_name = ? ORDER BY 1, 2, 4", [CATALOG])
        cur = self._cursor()
        try:
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {INFO_SCHEMA}")
            cur.execute(f"CREATE OR REPLACE TABLE {views['TABLES']} (table_catalog VARCHAR, "
                        "table_schema VARCHAR, table_name VARCHAR, table_type VARCHAR)")
            cur.executemany(f"INSERT INTO {views['TABLES']} VALUES (?, ?, ?, ?)", [
                [CATALOG, *t.id.split(".", 1), "BASE TABLE" if t.row_count is not None
                 else "VIEW"] for t in tables] or [[None, None, None, None]])
            cur.execute(f"DELETE FROM {views['TABLES']} WHERE table_name IS NULL")
            cur.execute(f"CREATE OR REPLACE TABLE {views['COLUMNS']} (table_catalog VARCHAR, "
                        "table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR, "
                        "ordinal_position BIGINT, is_nullable VARCHAR, data_type VARCHAR)")
            rows = [[CATALOG, schema, table, column, index, "YES" if nullable else "NO",
                     bigquery_type(kind) if not kind.endswith("[]")
                     else f"ARRAY<{bigquery_type(kind)}>"]
                    for schema, table, column, index, nullable, kind in columns
                    if schema in datasets]
            if rows:
                cur.executemany(f"INSERT INTO {views['COLUMNS']} VALUES (?, ?, ?, ?, ?, ?, ?)",
                                rows)
        finally:
            self._release(cur)
        return views

    def _facts(self, cur: duckdb.DuckDBPyConnection,
               schemas: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
        """Shadowing functions and tainted definitions: once (50 ms), as the file is
        read-only for our lifetime."""
        if self._engine_facts is None:
            shadows = shadowing_functions(cur, CATALOG, schemas)
            self._engine_facts = shadows, tainted_definitions(cur, CATALOG, schemas, shadows)
        return self._engine_facts

    def _readable(self, sql: str) -> bool:
        """Whether the engine check lets ``sql`` (DuckDB SQL of our own) run."""
        schemas = self.readable_schemas()
        cur = self._cursor()
        try:
            shadows, tainted = self._facts(cur, schemas)
            return engine_allows(cur, sql, catalog=CATALOG, schemas=schemas, shadows=shadows,
                                 tainted=tainted)
        finally:
            self._release(cur)

    def query(self, sql: str, *, max_rows: int, timeout_s: float,
              labels: dict[str, str] | None = None) -> QueryResult:
        started = time.perf_counter()
        duck_sql = to_duckdb(sql, self._information_schema())
        schemas = self.readable_schemas()
        cur = self._cursor()
        finished, expired = threading.Event(), threading.Event()

        def expire() -> None:
            # An interrupt that lands between two statements (before the engine
            # check or the query itself starts) is forgotten by DuckDB, so keep
            # interrupting until this query is over.
            expired.set()
            while not finished.is_set():
                cur.interrupt()
                finished.wait(0.02)

        # The timer covers the engine check too: binding can fold constants.
        timer = threading.Timer(max(0.0, timeout_s - (time.perf_counter() - started)), expire)
        timer.start()
        try:
            one_select(cur, duck_sql)
            # What DuckDB parses and binds must read only allowed schemas, whatever
            # the gate concluded from the GoogleSQL (nl2sql/safety/engine.py).
            shadows, tainted = self._facts(cur, schemas)
            check_engine(cur, duck_sql, catalog=CATALOG, schemas=schemas, shadows=shadows,
                         tainted=tainted)
            if self._closed:  # close()'s interrupts may have landed between statements
                raise duckdb.InterruptException("closed")
            cur.execute(duck_sql)
            columns = [d[0] for d in cur.description or []]
            # Row by row, within a byte budget: one row can be gigabytes (fetching.py).
            fetched, too_big = fetch_bounded(cur, max_rows + 1)
        except (EngineRejected, duckdb.Error) as e:
            # An interrupt can surface as any of these (the engine check reads its
            # interruption back as a serialisation error): say why it happened.
            if self._closed:
                raise WarehouseError("the warehouse is shutting down; try again") from None
            if expired.is_set() or isinstance(e, duckdb.InterruptException):
                raise QueryTimeout(f"query ran longer than {timeout_s:g}s and was cancelled; "
                                   "narrow it or aggregate") from None
            raise QueryError(f"query failed: {scrub(str(e))}") from None
        finally:
            finished.set()
            timer.cancel()
            timer.join()  # no late interrupt may reach the cursor once it is back in the pool
            self._release(cur)
        truncated = too_big or len(fetched) > max_rows
        rows = [[json_safe(v) for v in row] for row in fetched[:max_rows]]
        return QueryResult(
            columns=columns,
            rows=rows,
            truncated=truncated,
            seconds=time.perf_counter() - started,
            total_rows=None if truncated else len(rows),
            truncated_reason="bytes" if too_big else None,
        )


def _ident(name: str) -> str:
    """A quoted DuckDB identifier: names come from the file, which may hold any character."""
    return '"' + name.replace('"', '""') + '"'


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"
