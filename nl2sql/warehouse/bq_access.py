"""Which tables a BigQuery query may read: the allowlist, views, and locations.

- The allowlist applies to the tables the SQL **names** (sqlglot's reading).
- BigQuery's dry run lists the tables a query really reads, views expanded to
  their base tables. A base table outside the allowlist is accepted only when it
  is reached through a view the SQL names in an allowed dataset (followed
  through the views' definitions, views of views included): that is how an
  authorized view exposes a safe subset. Anything else the dry run reports
  outside the allowlist is refused.
- Datasets in different locations cannot be joined in one query; that is
  explained before BigQuery fails on it.
"""

from __future__ import annotations

from typing import Any, Protocol

import sqlglot
from google.cloud import bigquery
from sqlglot import exp

from nl2sql.errors import QueryError, UnsafeSQL
from nl2sql.warehouse.bq_errors import gigabytes
from nl2sql.warehouse.bq_metadata import partition_column


class BigQueryWarehouse(Protocol):
    """What these checks need of ``nl2sql.warehouse.bigquery.BigQueryWarehouse``."""

    settings: Any
    table_cache: Any

    def is_allowed(self, project: str, dataset: str) -> bool: ...
    def shown(self, project: str, *rest: str) -> str: ...
    def table_or_none(self, project: str, dataset: str, table: str) -> bigquery.Table | None: ...
    def dataset_location(self, project: str, dataset: str) -> str | None: ...

Ref = tuple[str, str, str]  # (project, dataset, table)
VIEW_TYPES = ("VIEW", "MATERIALIZED_VIEW")
MAX_VIEW_DEPTH = 8
USD_PER_TIB = 6.25  # on-demand analysis price, for the approximate cost in messages


def parsed_tables(sql: str, project: str) -> set[Ref]:
    """Tables named in GoogleSQL ``sql``; unqualified names (CTEs) are left out."""
    try:
        tree = sqlglot.parse_one(sql, read="bigquery")
    except sqlglot.errors.SqlglotError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else "parse error"
        raise UnsafeSQL(f"the query could not be parsed to check the tables it reads: "
                        f"{first}", check="dry_run_tables") from None
    return {(t.catalog or project, t.db, t.name) for t in tree.find_all(exp.Table) if t.db}


def check_allowed(wh: BigQueryWarehouse, refs: set[Ref]) -> None:
    """Every (project, dataset, table) must be in an allowed dataset."""
    for project, dataset, table in sorted(refs):
        if dataset.lower().startswith("region-"):
            raise UnsafeSQL(f"{dataset}.{table} is a project-wide view (other users' jobs "
                            "and metadata); query tables of the allowed datasets instead",
                            check="dry_run_tables", construct=f"{dataset}.{table}")
        if not wh.is_allowed(project, dataset):
            name = wh.shown(project, dataset, table)
            raise UnsafeSQL(f"table {name} is not in an allowed dataset; call list_datasets",
                            check="dry_run_tables", construct=name)


def through_views(wh: BigQueryWarehouse, named: set[Ref]) -> set[Ref]:
    """Tables reached through the views among ``named`` (their definitions, recursively)."""
    reached: set[Ref] = set()
    todo = [(ref, 0) for ref in named]
    seen: set[Ref] = set()
    while todo:
        ref, depth = todo.pop()
        if ref in seen or depth > MAX_VIEW_DEPTH or ref[2].endswith("*"):
            continue
        seen.add(ref)
        table = wh.table_or_none(*ref)
        if table is None or (table.table_type or "").upper() not in VIEW_TYPES:
            continue
        definition = table.view_query or table.mview_query
        if not definition:
            continue
        try:
            inner = parsed_tables(definition, ref[0])
        except UnsafeSQL:
            continue  # unreadable definition: its base tables stay unaccounted for
        reached |= inner
        todo.extend((r, depth + 1) for r in inner)
    return reached


def check_referenced(wh: BigQueryWarehouse, named: set[Ref], referenced: set[Ref]) -> None:
    """The dry run's tables: allowed, or reached through a named allowed view."""
    outside = {r for r in referenced if not wh.is_allowed(r[0], r[1])}
    if not outside:
        return
    check_allowed(wh, outside - through_views(wh, named))


def check_locations(wh: BigQueryWarehouse, named: set[Ref]) -> None:
    """Refuse, with the reason, a query joining datasets of different locations."""
    datasets = sorted({(p, d) for p, d, _ in named})
    if len(datasets) < 2:
        return
    where = {ds: wh.dataset_location(*ds) for ds in datasets}
    known = {loc.upper() for loc in where.values() if loc}
    if len(known) > 1:
        listed = ", ".join(f"{wh.shown(p, d)} ({where[(p, d)]})"
                           for p, d in datasets if where[(p, d)])
        raise QueryError(f"these datasets are in different locations and cannot be joined in "
                         f"one query: {listed}; query each location separately and combine "
                         "the results in the answer")


def check_statement(dry: bigquery.QueryJob) -> None:
    kind = dry.statement_type or "UNKNOWN"
    if kind != "SELECT":
        raise UnsafeSQL(f"BigQuery's dry run says this is a {kind} statement; only SELECT "
                        "queries may run", check="dry_run_statement_type", construct=kind)


def check_bytes(wh: BigQueryWarehouse, dry: bigquery.QueryJob) -> None:
    """The dry run's bytes estimate must be under ``NL2SQL_MAX_BYTES_BILLED``."""
    estimate, cap = dry.total_bytes_processed or 0, wh.settings.max_bytes_billed
    if estimate <= cap:
        return
    cost = estimate / 1024**4 * USD_PER_TIB
    hints = []
    for ref in dry.referenced_tables or ():
        table = wh.table_cache.peek(str(ref))
        column = partition_column(table) if table is not None else None
        if column:
            hints.append(f"{ref.table_id}.{column}")
    where = f" (partition columns: {', '.join(hints)})" if hints else ""
    raise QueryError(
        f"BigQuery estimates this query would scan {gigabytes(estimate)} (about ${cost:.2f} "
        f"at on-demand prices), over this service's limit of {gigabytes(cap)} per query "
        f"(NL2SQL_MAX_BYTES_BILLED). Narrow it: select only the columns you need and "
        f"filter on partition columns to a shorter date range{where}",
        bytes_estimate=estimate, max_bytes_billed=cap,
    )
