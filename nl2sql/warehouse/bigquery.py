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

from google.cloud import bigquery
from google.cloud.bigquery.retry import DEFAULT_JOB_RETRY, DEFAULT_RETRY

from nl2sql.config import Settings
from nl2sql.errors import NotFound
from nl2sql.warehouse import bq_access as access
from nl2sql.warehouse import bq_export
from nl2sql.warehouse import bq_metadata as meta
from nl2sql.warehouse import bq_shards as shards
from nl2sql.warehouse.base import (
    DatasetInfo,
    ExportedRows,
    QueryResult,
    TableInfo,
    Warehouse,
)
from nl2sql.warehouse.bq_client import make_client
from nl2sql.warehouse.bq_errors import translate
from nl2sql.warehouse.bq_values import job_labels, json_value

log = logging.getLogger(__name__)

METADATA_TTL_S = 600.0
EXAMPLES_TTL_S = 24 * 3600.0
EXAMPLES_MAX_BYTES = 256 * 1024**2  # example values only when this cheap (~$0.0015)
EXAMPLES_TIMEOUT_S = 10.0
API_TIMEOUT_S = 30.0  # one HTTP call
PAGE_SIZE = 200
TABLE_PAGE_SIZE = 1000
LIST_TABLES_MAX = 5000  # list_tables reads at most this many (GA4: years of daily shards)
DETAIL_MAX = 100  # list_* fetch descriptions and row counts for at most this many items
DETAIL_WORKERS = 8
JOB_ID_PREFIX = "nl2sql_"


class BigQueryWarehouse(Warehouse):
    kind = "BigQuery warehouse"
    keeps_results = True  # the job's destination table serves exports (bq_export)

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
        self.dataset_cache: meta.TTLCache[bigquery.Dataset] = meta.TTLCache(METADATA_TTL_S)
        self.shards_cache: meta.TTLCache[list[shards.ShardGroup]] = meta.TTLCache(METADATA_TTL_S)
        # key -> (table modification time, examples); refreshed when the table changes
        self.examples_cache: meta.TTLCache[tuple[Any, dict[str, list[str]]]] = meta.TTLCache(
            EXAMPLES_TTL_S)

    def close(self) -> None:
        self.client.close()

    def export_rows(self, job: dict[str, Any], max_rows: int) -> ExportedRows | None:
        return bq_export.export_rows(self.client, job, max_rows, self._retry())

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

    def shown(self, project: str, *rest: str) -> str:
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
        found = self._parallel(self._dataset, refs[:DETAIL_MAX])
        infos = [DatasetInfo(self.shown(ds.project, ds.dataset_id), ds.description or None)
                 for ds in found if ds is not None]
        # Datasets of several locations cannot be joined: say where each one is.
        locations = {ds.location for ds in found if ds is not None and ds.location}
        if len(locations) > 1:
            for info, ds in zip(infos, [d for d in found if d is not None], strict=True):
                info.description = f"{info.description or ''} [location {ds.location}]".strip()
        infos += [DatasetInfo(self.shown(p, d)) for p, d in refs[DETAIL_MAX:]]
        return list(self.datasets_cache.put("", infos))

    def _dataset(self, ref: tuple[str, str]) -> bigquery.Dataset | None:
        project, dataset = ref
        cached = self.dataset_cache.get(f"{project}.{dataset}")
        if cached is not None:
            return cached
        try:
            ds = self.client.get_dataset(bigquery.DatasetReference(project, dataset),
                                         retry=self._retry(), timeout=API_TIMEOUT_S)
        except Exception as e:
            # An allowed dataset that is missing or unreadable is left out, not fatal.
            log.warning("dataset %s.%s skipped: %s", project, dataset, translate(e).message)
            return None
        return self.dataset_cache.put(f"{project}.{dataset}", ds)

    def dataset_location(self, project: str, dataset: str) -> str | None:
        ds = self._dataset((project, dataset))
        return ds.location if ds is not None else None

    def list_tables(self, dataset_id: str) -> list[TableInfo]:
        project, dataset = self._split(dataset_id, 2)
        if not self.is_allowed(project, dataset):
            raise NotFound(f"dataset {dataset_id!r} is not available; call list_datasets")
        key = f"{project}.{dataset}"
        cached = self.tables_cache.get(key)
        if cached is not None:
            return [meta.copy_info(t) for t in cached]
        try:
            # Paging bounded: a dataset of many thousand tables is read in a few pages.
            items = list(self.client.list_tables(bigquery.DatasetReference(project, dataset),
                                                 page_size=TABLE_PAGE_SIZE,
                                                 max_results=LIST_TABLES_MAX,
                                                 retry=self._retry(), timeout=API_TIMEOUT_S))
        except Exception as e:
            raise translate(e, doing="metadata") from None
        if len(items) >= LIST_TABLES_MAX:
            log.warning("dataset %s: only the first %d tables are listed", key, LIST_TABLES_MAX)
        by_name = {i.table_id: i for i in items}
        plain, groups = shards.group(by_name)
        self.shards_cache.put(key, groups)
        # One detail call per shard group (its latest shard), not one per shard.
        chosen = [by_name[n] for n in plain] + [by_name[g.latest] for g in groups]
        full = self._parallel(self._table_or_none, [i.reference for i in chosen[:DETAIL_MAX]])
        infos = []
        for i, item in enumerate(chosen):
            table = full[i] if i < len(full) and full[i] is not None else item
            if i < len(plain):
                info = meta.table_info(self.shown(project, dataset, item.table_id), table)
            else:
                info = self._wildcard_info(project, dataset, groups[i - len(plain)], table)
            info.columns = []  # list_tables stays compact: columns come from get_table
            infos.append(info)
        self.tables_cache.put(key, infos)
        return [meta.copy_info(t) for t in infos]

    def _wildcard_info(self, project: str, dataset: str, group: shards.ShardGroup,
                       latest: bigquery.Table | bigquery.table.TableListItem) -> TableInfo:
        info = meta.table_info(self.shown(project, dataset, group.wildcard), latest)
        own = getattr(latest, "description", None)
        info.description = (group.description(self.shown(project, dataset))
                            + f" Columns are the latest shard's ({group.latest})."
                            + (f" {own}" if own else ""))
        info.row_count = None  # one shard's count would mislead
        return info

    def get_table(self, table_id: str) -> TableInfo:
        project, dataset, name = self._split(table_id, 3)
        if not self.is_allowed(project, dataset):
            raise NotFound(f"table {table_id!r} is not in an allowed dataset")
        if shards.is_wildcard(name):
            return self._describe_wildcard(project, dataset, name)
        table = self._table(bigquery.TableReference(bigquery.DatasetReference(project, dataset),
                                                    name))
        # A shard's example values would cost a query per shard: shards get none.
        examples = {} if shards.shard_date(name) else self._examples(table)
        return meta.table_info(self.shown(project, dataset, table.table_id), table, examples)

    def _describe_wildcard(self, project: str, dataset: str, name: str) -> TableInfo:
        """``dataset.events_*``: the shard group, described by its latest shard."""
        key = f"{project}.{dataset}"
        groups = self.shards_cache.get(key)
        if groups is None:
            self.list_tables(key)
            groups = self.shards_cache.get(key) or []
        group = next((g for g in groups if g.wildcard == name), None)
        if group is None:
            raise NotFound(f"no date-sharded tables match {self.shown(project, dataset, name)}; "
                           "call list_tables")
        table = self._table(bigquery.TableReference(bigquery.DatasetReference(project, dataset),
                                                    group.latest))
        info = self._wildcard_info(project, dataset, group, table)
        info.columns = meta.columns(table.schema or [])
        return info

    def table_or_none(self, project: str, dataset: str, table: str) -> bigquery.Table | None:
        """A table's metadata (cached), or None when it cannot be read."""
        return self._table_or_none(bigquery.TableReference(
            bigquery.DatasetReference(project, dataset), table))

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
        # table outside the allowlist; then BigQuery's own list, which sees through
        # views: base tables outside the allowlist only via a named view (bq_access).
        named = access.parsed_tables(sql, self.project or "")
        access.check_allowed(self, named)
        access.check_locations(self, named)
        dry = self._dry_run(sql, tags, min(API_TIMEOUT_S, timeout_s))
        access.check_statement(dry)
        access.check_referenced(self, named, {(t.project, t.dataset_id, t.table_id)
                                              for t in dry.referenced_tables or ()})
        access.check_bytes(self, dry)
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
            location=job.location,
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

    def _start(self, sql: str, labels: dict[str, str], cap: int,
               timeout_s: float) -> bigquery.QueryJob:
        config = bigquery.QueryJobConfig(
            use_legacy_sql=False, maximum_bytes_billed=cap, labels=labels,
            job_timeout_ms=math.ceil(timeout_s * 1000),
        )
        try:
            return self.client.query(sql, job_config=config, location=self.location,
                                     job_id_prefix=JOB_ID_PREFIX, retry=self._retry(),
                                     timeout=API_TIMEOUT_S,
                                     job_retry=DEFAULT_JOB_RETRY.with_deadline(timeout_s))
        except Exception as e:
            raise translate(e, doing="query", timeout_s=timeout_s, max_bytes=cap) from None

    def _wait(self, job: bigquery.QueryJob, max_results: int, wait_s: float, *,
              timeout_s: float | None = None) -> tuple[Any, list[Any]]:
        """Wait up to ``wait_s`` for the job and fetch at most ``max_results`` rows;
        cancel the job when we stop waiting for it before it is done."""
        cap = job.maximum_bytes_billed
        try:
            # A job that failed for a transient reason (jobBackendError, rate limits)
            # is started again by the library, within the time this wait may take.
            iterator = job.result(timeout=wait_s, max_results=max_results,
                                  job_retry=DEFAULT_JOB_RETRY.with_deadline(wait_s),
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
