"""The production warehouse: BigQuery through google-cloud-bigquery, cost-safe.

Every query passes our own layers after the safety gate, trusting no one
before us:

1. a dry run (free): the statement must be a SELECT, every table it reads must
   be in an allowed dataset of an allowed project, and the bytes estimate must
   be under ``NL2SQL_MAX_BYTES_BILLED``;
2. the job runs with ``maximum_bytes_billed`` (BigQuery itself refuses to bill
   more), a job timeout, labels, and is cancelled when the timeout passes;
3. at most ``max_rows + 1`` rows are fetched; values are made JSON-safe.

Metadata (datasets, tables, schemas, example values) is cached; example values
are re-queried only when the table's modification time changes.
"""

from __future__ import annotations

import concurrent.futures
import logging
import math
import time
from typing import Any

import sqlglot
from google.api_core.client_info import ClientInfo
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery
from google.cloud.bigquery.retry import DEFAULT_RETRY
from sqlglot import exp

from nl2sql import __version__
from nl2sql.config import Settings
from nl2sql.errors import NotFound, QueryError, UnsafeSQL
from nl2sql.warehouse import bq_metadata as meta
from nl2sql.warehouse.base import DatasetInfo, QueryResult, TableInfo, Warehouse
from nl2sql.warehouse.bq_errors import gigabytes, translate
from nl2sql.warehouse.bq_values import job_labels, json_value

log = logging.getLogger(__name__)

USD_PER_TIB = 6.25  # on-demand analysis price, for the approximate cost in messages
METADATA_TTL_S = 600.0
EXAMPLES_TTL_S = 24 * 3600.0
EXAMPLES_MAX_BYTES = 256 * 1024**2  # example values only when this cheap (~$0.0015)
EXAMPLES_TIMEOUT_S = 10.0
API_TIMEOUT_S = 30.0  # one HTTP call
PAGE_SIZE = 200
DETAIL_MAX = 100  # list_* fetch descriptions and row counts for at most this many items
DETAIL_WORKERS = 8
JOB_ID_PREFIX = "nl2sql_"


def make_client(project: str, location: str | None, endpoint: str = "") -> bigquery.Client:
    """A client on Application Default Credentials, or anonymous on ``endpoint``."""
    info = ClientInfo(user_agent=f"nl2sql/{__version__}")
    try:
        if endpoint:
            return bigquery.Client(project=project, location=location, client_info=info,
                                   credentials=AnonymousCredentials(),
                                   client_options=ClientOptions(api_endpoint=endpoint))
        return bigquery.Client(project=project, location=location, client_info=info)
    except Exception as e:
        raise translate(e, doing="metadata") from None


class BigQueryWarehouse(Warehouse):
    kind = "BigQuery warehouse"

    def __init__(self, project: str, location: str | None = None,
                 settings: Settings | None = None) -> None:
        self.project = project
        self.location = location
        self.settings = settings or Settings()
        self.client = make_client(project, location, self.settings.bigquery_endpoint)
        # Allowed (project, dataset) pairs; entries are "dataset" or "project.dataset".
        self.allowed: frozenset[tuple[str, str]] = frozenset(
            (p or project, d)
            for p, _, d in (e.strip("`").rpartition(".") for e in self.settings.allowed_datasets)
        )
        self.datasets_cache: meta.TTLCache[list[DatasetInfo]] = meta.TTLCache(METADATA_TTL_S)
        self.tables_cache: meta.TTLCache[list[TableInfo]] = meta.TTLCache(METADATA_TTL_S)
        self.table_cache: meta.TTLCache[bigquery.Table] = meta.TTLCache(METADATA_TTL_S)
        # key -> (table modification time, examples); refreshed when the table changes
        self.examples_cache: meta.TTLCache[tuple[Any, dict[str, list[str]]]] = meta.TTLCache(
            EXAMPLES_TTL_S)

    def close(self) -> None:
        self.client.close()

    # -- names and the allowlist ---------------------------------------------------

    def is_allowed(self, project: str, dataset: str) -> bool:
        """Dataset names are case-sensitive in BigQuery, so they are compared exactly."""
        if not self.allowed:
            return project == self.project
        return (project, dataset) in self.allowed

    def _split(self, name: str, parts: int) -> tuple[str, ...]:
        """``dataset[.table]`` or ``project.dataset[.table]`` → (project, dataset[, table])."""
        pieces = name.strip().strip("`").split(".")
        if len(pieces) == parts - 1:
            pieces = [self.project or "", *pieces]
        if len(pieces) != parts or not all(pieces):
            shape = "dataset.table" if parts == 3 else "dataset"
            raise NotFound(f"{name!r} is not a {shape} name")
        return tuple(pieces)

    def _shown(self, project: str, *rest: str) -> str:
        """The id the model sees: without the project when it is ours."""
        return ".".join(rest if project == self.project else (project, *rest))

    def _retry(self, seconds: float = API_TIMEOUT_S) -> Any:
        return DEFAULT_RETRY.with_timeout(seconds)

    # -- metadata --------------------------------------------------------------------

    def list_datasets(self) -> list[DatasetInfo]:
        cached = self.datasets_cache.get("")
        if cached is not None:
            return list(cached)
        try:
            if self.allowed:
                refs = sorted(self.allowed)
            else:
                items = self.client.list_datasets(self.project, page_size=PAGE_SIZE,
                                                  retry=self._retry(), timeout=API_TIMEOUT_S)
                refs = [(str(d.project), str(d.dataset_id)) for d in items]
        except Exception as e:
            raise translate(e, doing="metadata") from None
        found = self._parallel(self._dataset_info, refs[:DETAIL_MAX])
        infos = [i for i in found if i is not None]
        infos += [DatasetInfo(self._shown(p, d)) for p, d in refs[DETAIL_MAX:]]
        return list(self.datasets_cache.put("", infos))

    def _dataset_info(self, ref: tuple[str, str]) -> DatasetInfo | None:
        project, dataset = ref
        try:
            ds = self.client.get_dataset(bigquery.DatasetReference(project, dataset),
                                         retry=self._retry(), timeout=API_TIMEOUT_S)
        except Exception as e:
            # An allowed dataset that is missing or unreadable is left out, not fatal.
            log.warning("dataset %s.%s skipped: %s", project, dataset, translate(e).message)
            return None
        return DatasetInfo(self._shown(project, dataset), ds.description or None)

    def list_tables(self, dataset_id: str) -> list[TableInfo]:
        project, dataset = self._split(dataset_id, 2)
        if not self.is_allowed(project, dataset):
            raise NotFound(f"dataset {dataset_id!r} is not available; call list_datasets")
        key = f"{project}.{dataset}"
        cached = self.tables_cache.get(key)
        if cached is not None:
            return [_copy(t) for t in cached]
        try:
            items = list(self.client.list_tables(bigquery.DatasetReference(project, dataset),
                                                 page_size=PAGE_SIZE, retry=self._retry(),
                                                 timeout=API_TIMEOUT_S))
        except Exception as e:
            raise translate(e, doing="metadata") from None
        full = self._parallel(self._table_or_none, [i.reference for i in items[:DETAIL_MAX]])
        infos = []
        for i, item in enumerate(items):
            table = full[i] if i < len(full) and full[i] is not None else item
            info = meta.table_info(self._shown(project, dataset, item.table_id), table)
            info.columns = []  # list_tables stays compact: columns come from get_table
            infos.append(info)
        self.tables_cache.put(key, infos)
        return [_copy(t) for t in infos]

    def get_table(self, table_id: str) -> TableInfo:
        project, dataset, name = self._split(table_id, 3)
        if not self.is_allowed(project, dataset):
            raise NotFound(f"table {table_id!r} is not in an allowed dataset")
        table = self._table(bigquery.TableReference(bigquery.DatasetReference(project, dataset),
                                                    name))
        return meta.table_info(self._shown(project, dataset, table.table_id), table,
                               self._examples(table))

    def _table(self, ref: bigquery.TableReference) -> bigquery.Table:
        key = str(ref)
        cached = self.table_cache.get(key)
        if cached is not None:
            return cached
        try:
            table = self.client.get_table(ref, retry=self._retry(), timeout=API_TIMEOUT_S)
        except Exception as e:
            raise translate(e, doing="metadata") from None
        return self.table_cache.put(key, table)

    def _table_or_none(self, ref: bigquery.TableReference) -> bigquery.Table | None:
        try:
            return self._table(ref)
        except Exception as e:
            log.warning("table %s: no details: %s", ref, e)
            return None

    def _parallel(self, fn: Any, items: list[Any]) -> list[Any]:
        if len(items) <= 1:
            return [fn(i) for i in items]
        with concurrent.futures.ThreadPoolExecutor(min(DETAIL_WORKERS, len(items))) as pool:
            return list(pool.map(fn, items))

    def _examples(self, table: bigquery.Table) -> dict[str, list[str]]:
        """Example values of low-cardinality text columns, when a query for them is cheap.

        Kept until the table's modification time changes; a failure means no examples.
        """
        key = str(table.reference)
        known = self.examples_cache.get(key)
        if known is not None and known[0] == table.modified:
            return known[1]
        cols = meta.example_candidates(table)
        found: dict[str, list[str]] = {}
        cheap = (table.table_type == "TABLE" and not table.require_partition_filter
                 and table.num_rows != 0)
        if cols and cheap:
            found = self._query_examples(table, cols)
        self.examples_cache.put(key, (table.modified, found))
        return found

    def _query_examples(self, table: bigquery.Table, cols: list[str]) -> dict[str, list[str]]:
        sql = meta.example_sql(meta.quote(table.project, table.dataset_id, table.table_id), cols)
        cap = min(EXAMPLES_MAX_BYTES, self.settings.max_bytes_billed)
        timeout = min(EXAMPLES_TIMEOUT_S, self.settings.query_timeout_s)
        labels = job_labels({"purpose": "table_examples"})
        try:
            dry = self._dry_run(sql, labels)
            if (dry.total_bytes_processed or 0) > cap:
                return {}
            job = self._start(sql, labels, cap, timeout)
            rows = self._wait(job, 1, timeout)[1]
            return meta.parse_examples(cols, rows[0]) if rows else {}
        except Exception as e:
            log.info("no example values for %s: %s", table.reference, e)
            return {}

    # -- queries ---------------------------------------------------------------------

    def query(self, sql: str, *, max_rows: int, timeout_s: float,
              labels: dict[str, str] | None = None) -> QueryResult:
        started = time.monotonic()
        tags = job_labels(labels)
        # Our reading first, so that not even a dry run touches (or reports on) a
        # table outside the allowlist; then BigQuery's own list, which sees views.
        self._check_tables(self._parsed_tables(sql))
        dry = self._dry_run(sql, tags, min(API_TIMEOUT_S, timeout_s))
        self._check_statement(dry)
        self._check_tables({(t.project, t.dataset_id, t.table_id)
                            for t in dry.referenced_tables or ()})
        self._check_bytes(dry)
        cap = self.settings.max_bytes_billed
        remaining = max(timeout_s - (time.monotonic() - started), 1.0)
        job = self._start(sql, tags, cap, timeout_s)
        iterator, fetched = self._wait(job, max_rows + 1, remaining, timeout_s=timeout_s)
        total = iterator.total_rows
        truncated = len(fetched) > max_rows or (total is not None and total > max_rows)
        log.info("job %s: %s processed, %s billed, cache hit %s", job.job_id,
                 job.total_bytes_processed, job.total_bytes_billed, job.cache_hit)
        return QueryResult(
            columns=[f.name for f in iterator.schema],
            rows=[[json_value(v) for v in row.values()] for row in fetched[:max_rows]],
            truncated=truncated,
            seconds=time.monotonic() - started,
            total_rows=total if total is not None else (None if truncated else len(fetched)),
            bytes_processed=job.total_bytes_processed,
            bytes_billed=job.total_bytes_billed,
            job_id=job.job_id,
            cache_hit=job.cache_hit,
        )

    def _dry_run(self, sql: str, labels: dict[str, str],
                 seconds: float = API_TIMEOUT_S) -> bigquery.QueryJob:
        config = bigquery.QueryJobConfig(dry_run=True, use_query_cache=False,
                                         use_legacy_sql=False, labels=labels)
        try:
            return self.client.query(sql, job_config=config, location=self.location,
                                     retry=self._retry(seconds), timeout=seconds, job_retry=None)
        except Exception as e:
            raise translate(e, doing="query", timeout_s=seconds) from None

    def _check_statement(self, dry: bigquery.QueryJob) -> None:
        kind = dry.statement_type or "UNKNOWN"
        if kind != "SELECT":
            raise UnsafeSQL(f"BigQuery's dry run says this is a {kind} statement; only SELECT "
                            "queries may run", check="dry_run_statement_type", construct=kind)

    def _check_tables(self, refs: set[tuple[str, str, str]]) -> None:
        """Every (project, dataset, table) must be in an allowed dataset."""
        for project, dataset, table in sorted(refs):
            if dataset.lower().startswith("region-"):
                raise UnsafeSQL(f"{dataset}.{table} is a project-wide view (other users' jobs "
                                "and metadata); query tables of the allowed datasets instead",
                                check="dry_run_tables", construct=f"{dataset}.{table}")
            if not self.is_allowed(project, dataset):
                name = self._shown(project, dataset, table)
                raise UnsafeSQL(f"table {name} is not in an allowed dataset; call list_datasets",
                                check="dry_run_tables", construct=name)

    def _parsed_tables(self, sql: str) -> set[tuple[str, str, str]]:
        """Tables named in the SQL, as sqlglot reads GoogleSQL (INFORMATION_SCHEMA views
        included, which the dry run does not always list)."""
        try:
            tree = sqlglot.parse_one(sql, read="bigquery")
        except sqlglot.errors.SqlglotError as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else "parse error"
            raise UnsafeSQL(f"the query could not be parsed to check the tables it reads: "
                            f"{first}", check="dry_run_tables") from None
        # Unqualified names are CTEs or errors (no default dataset is set).
        return {(t.catalog or self.project or "", t.db, t.name)
                for t in tree.find_all(exp.Table) if t.db}

    def _check_bytes(self, dry: bigquery.QueryJob) -> None:
        estimate, cap = dry.total_bytes_processed or 0, self.settings.max_bytes_billed
        if estimate <= cap:
            return
        cost = estimate / 1024**4 * USD_PER_TIB
        hints = self._partition_hints(dry)
        where = f" (partition columns: {', '.join(hints)})" if hints else ""
        raise QueryError(
            f"BigQuery estimates this query would scan {gigabytes(estimate)} (about ${cost:.2f} "
            f"at on-demand prices), over this service's limit of {gigabytes(cap)} per query "
            f"(NL2SQL_MAX_BYTES_BILLED). Narrow it: select only the columns you need and "
            f"filter on partition columns to a shorter date range{where}",
            bytes_estimate=estimate, max_bytes_billed=cap,
        )

    def _partition_hints(self, dry: bigquery.QueryJob) -> list[str]:
        hints = []
        for ref in dry.referenced_tables or ():
            table = self.table_cache.peek(str(ref))
            column = meta.partition_column(table) if table is not None else None
            if column:
                hints.append(f"{ref.table_id}.{column}")
        return hints

    def _start(self, sql: str, labels: dict[str, str], cap: int,
               timeout_s: float) -> bigquery.QueryJob:
        config = bigquery.QueryJobConfig(
            use_legacy_sql=False, maximum_bytes_billed=cap, labels=labels,
            job_timeout_ms=math.ceil(timeout_s * 1000),
        )
        try:
            return self.client.query(sql, job_config=config, location=self.location,
                                     job_id_prefix=JOB_ID_PREFIX, retry=self._retry(),
                                     timeout=API_TIMEOUT_S, job_retry=None)
        except Exception as e:
            raise translate(e, doing="query", timeout_s=timeout_s, max_bytes=cap) from None

    def _wait(self, job: bigquery.QueryJob, max_results: int, wait_s: float, *,
              timeout_s: float | None = None) -> tuple[Any, list[Any]]:
        """Wait up to ``wait_s`` for the job and fetch at most ``max_results`` rows;
        cancel the job when we stop waiting for it before it is done."""
        cap = job.maximum_bytes_billed
        try:
            iterator = job.result(timeout=wait_s, max_results=max_results, job_retry=None,
                                  retry=self._retry(wait_s))
            rows = list(iterator)[:max_results]
        except Exception as e:
            # Whatever ended the wait (our timeout, or polling that kept failing until
            # its deadline), a job still running would go on using slots until its
            # own job timeout: cancel it. A failed job is DONE and needs nothing.
            if job.state != "DONE":
                self._cancel(job)
            raise translate(e, doing="query", timeout_s=timeout_s or wait_s,
                            max_bytes=cap) from None
        return iterator, rows

    def _cancel(self, job: bigquery.QueryJob) -> None:
        try:
            self.client.cancel_job(job.job_id, project=job.project, location=job.location,
                                   retry=self._retry(10.0), timeout=10.0)
            log.info("job %s cancelled after its timeout", job.job_id)
        except Exception as e:  # the job timeout set on the job is the backstop
            log.warning("could not cancel job %s: %s", job.job_id, e)


def _copy(info: TableInfo) -> TableInfo:
    """Cached entries are shared; callers get their own."""
    from dataclasses import replace

    return replace(info, columns=list(info.columns),
                   clustering=list(info.clustering) if info.clustering else None)
