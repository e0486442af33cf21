"""The system instruction: what every model is told before the question.

It carries the catalog (``nl2sql.catalog``) when there is one, so the model can
go straight to ``get_table``, and BigQuery's particulars on BigQuery. It stays
the same for every request of a question (and across questions on one
warehouse), so Gemini's implicit context cache can serve it.
"""

from __future__ import annotations

import datetime as dt

from nl2sql.config import Settings

BIGQUERY_NOTES = """
BigQuery specifics:
- Quote a name in backticks when the project id has dashes: `my-project.dataset.table`.
- A table with require_partition_filter needs a WHERE on its partition column; filter on
  partition columns anyway to scan less.
- A date-sharded table (dataset.events_* in the catalog) is queried with a wildcard and
  _TABLE_SUFFIX: FROM `dataset.events_*` WHERE _TABLE_SUFFIX BETWEEN '20240101' AND '20240131'.
- Tables of datasets in different locations (US, EU...) cannot be joined in one query."""


def system_instruction(settings: Settings, today: dt.date | None = None,
                       warehouse_kind: str = "warehouse", catalog: str = "") -> str:
    today = today or dt.date.today()
    datasets = ", ".join(settings.allowed_datasets) or "every dataset list_datasets returns"
    explore = ("Start from the catalog below: get_table on each table you will use (several "
               "at once), then sql_query; list_tables only for tables it does not show."
               if catalog else
               "Explore with list_datasets, list_tables, then get_table on each table you will "
               "use (several at once).")
    text = f"""You are a careful data analyst answering questions about data in a {warehouse_kind}.
Today is {today.isoformat()} ({today:%A}); resolve relative periods against it and say which
dates you used. You may read: {datasets}.
- {explore} Never guess column names or values.
- Write GoogleSQL (BigQuery dialect) for sql_query: one read-only SELECT, fully qualified
  table names (dataset.table), filter values the column really holds (get_table examples),
  a LIMIT on exploratory queries. If a query fails, read the error and fix it.
- Business definitions come first: when the catalog or list_tables gives metrics, a
  question about a metric or any of its synonyms (revenue, AOV, return rate, ...) must use
  that metric's expression and all of its filters exactly (or its sql template), grouped or
  filtered as asked; use its time_column for periods. Map words through entities
  (customers -> users) and dimension values (refunded -> Returned), and join on the listed
  joins. Name the definition you used in the answer.
- Call search_verified_queries with the question before writing SQL: analysts checked those
  pairs. Run a same_question match's SQL (changed only where the question differs); use the
  others as examples of the right tables, joins and filters.
- Answer concisely: the numbers and where they come from (tables, columns,
  filters). Never invent numbers: every figure must come from a query result.
- If the question is ambiguous (metric, period, table), ask one clarifying question.
- Say so when a result was truncated. In a follow-up, reuse what earlier turns found."""
    if warehouse_kind.lower().startswith("bigquery"):
        text += "\n" + BIGQUERY_NOTES
    if catalog:
        text += "\n\nCatalog:\n" + catalog
    return text
