"""Gate, then run: the one way SQL from outside reaches a warehouse.

The model's ``sql_query`` calls, CSV exports and pinned report SQL all come
here, so none of them can run a statement the safety gate has not passed, and
every one is capped the way the gate says.
"""

from __future__ import annotations

import time

from nl2sql.errors import QueryTimeout
from nl2sql.safety import CheckedSQL, Policy, check_sql
from nl2sql.warehouse.base import QueryResult, Warehouse


def run_sql(warehouse: Warehouse, policy: Policy, sql: str, *, timeout_s: float,
            labels: dict[str, str] | None = None) -> QueryResult:
    """Check ``sql`` against ``policy`` (raises ``UnsafeSQL``), then run what the gate
    returned, with its row cap. ``timeout_s`` covers the gate's time too."""
    return run_checked(warehouse, policy, sql, timeout_s=timeout_s, labels=labels)[1]


def run_checked(warehouse: Warehouse, policy: Policy, sql: str, *, timeout_s: float,
                labels: dict[str, str] | None = None, fetch_rows: int | None = None,
                ) -> tuple[CheckedSQL, QueryResult]:
    """``run_sql`` that also returns what the gate passed (the SQL that ran, for the
    answer). ``fetch_rows``: fetch fewer rows than the gate's cap lets the query
    return (BigQuery keeps the rest in the job's result, for an export)."""
    started = time.perf_counter()
    checked = check_sql(sql, policy)
    left = timeout_s - (time.perf_counter() - started)
    if left <= 0:
        raise QueryTimeout(f"query was cancelled: checking it took longer than the {timeout_s:g}s "
                           "query timeout; simplify it")
    fetch = checked.row_cap if fetch_rows is None else min(checked.row_cap, fetch_rows)
    return checked, warehouse.query(checked.sql, max_rows=fetch, timeout_s=left,
                                    labels=labels)
