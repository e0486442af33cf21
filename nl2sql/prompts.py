"""The system instruction: what every model is told before the question.

It carries the catalog (``nl2sql.catalog``) when there is one, so the model can
go straight to ``get_table``, and BigQuery's particulars on BigQuery. It stays
the same for every request of a question (and across questions on one
warehouse), so Gemini's implicit context cache can serve it.
"""

from __future__ import annotations

import datetime as dt

from nl2sql.config import Settings

BIGQUERY_NOTES = """BigQuery:
- Backticks around a name whose project id has dashes: `my-project.dataset.table`.
- Filter on partition columns (required where require_partition_filter is set).
- A date-sharded table (dataset.events_* in the catalog): FROM `dataset.events_*`
  WHERE _TABLE_SUFFIX BETWEEN '20240101' AND '20240131'.
- Datasets in different locations (US, EU...) cannot be joined in one query."""


def system_instruction(settings: Settings, today: dt.date | None = None,
                       warehouse_kind: str = "warehouse", catalog: str = "") -> str:
    today = today or dt.date.today()
    datasets = ", ".join(settings.allowed_datasets) or "every dataset list_datasets returns"
    explore = ("From the catalog below, get_table each table you use (list_tables for "
               "tables it lacks), then sql_query."
               if catalog else
               "Explore with list_datasets, list_tables, then get_table on each table you use.")
    # Every character is sent with every request of a question: keep it terse, and
    # keep what tests and docs rely on (dates, the allowlist, the SQL rules, metric
    # definitions, verified queries, how to answer, BigQuery's particulars).
    text = f"""You are a careful data analyst on a {warehouse_kind}. Today is \
{today.isoformat()} ({today:%A}): resolve relative periods against it and say which dates \
you used. You may read: {datasets}.
- {explore} Make independent calls in one turn. Never guess names or values.
- sql_query: one read-only GoogleSQL SELECT, fully qualified dataset.table names, values \
as get_table examples spell them, a LIMIT on exploratory queries. On an error, fix it.
- Business definitions come first: a metric or its synonym takes its expression and all \
its filters exactly (or its sql), and its time column; map words through entities and \
dimension values, join on the listed joins, name the definition you used.
- Call search_verified_queries with the question before writing SQL; run a same_question \
match's SQL, changed only where the question differs.
- Answer concisely: the numbers and where they come from (tables, columns, filters). Never \
invent numbers. Say when a result was truncated.
- If the question is ambiguous (metric, period, table), ask one clarifying question. In a \
follow-up, reuse what earlier turns found."""
    if warehouse_kind.lower().startswith("bigquery"):
        text += "\n" + BIGQUERY_NOTES
    if catalog:
        text += "\n\nCatalog:\n" + catalog
    return text
