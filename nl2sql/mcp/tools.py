"""The MCP tool list: the agent's own function declarations, described for an agent client.

The argument schemas are the declarations in ``schemas/functions.json`` as they
are, so an MCP client sends exactly what the agent's model sends and the same
validation applies. Descriptions are rewritten for a client that has not read
our system prompt: they say what each tool enforces (read-only, allowlist, row
cap) so a client model does not waste turns finding out by trial.

``ask`` is the one tool the agent does not have: the whole question-answering
service behind one call.
"""

from __future__ import annotations

from typing import Any

import mcp_types as types

from nl2sql.config import Settings
from nl2sql.service import MAX_QUESTION_CHARS
from nl2sql.tools import declarations

ASK = "ask"
GET_METRICS = "get_metrics"

#: the ``get_metrics`` tool's arguments (``list_tables``' own)
METRICS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "dataset_id": {"type": "string",
                       "description": "Dataset id as returned by list_datasets."},
    },
    "required": ["dataset_id"],
}

#: the ``ask`` tool's arguments (the API's /api/ask body)
ASK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "question": {
            "type": "string",
            "description": "The question in plain language, e.g. 'Revenue by month in 2024'.",
            "maxLength": MAX_QUESTION_CHARS,
        },
        "conversation_id": {
            "type": "string",
            "description": "For a follow-up ('and by country?'): the conversation_id of the "
                           "earlier answer. Leave out to start a new conversation.",
        },
    },
    "required": ["question"],
}


def _descriptions(settings: Settings) -> dict[str, str]:
    allowed = (f"only the datasets {', '.join(settings.allowed_datasets)}"
               if settings.allowed_datasets else "the datasets this server may read")
    cap = f"{settings.max_rows:,}"
    return {
        "list_datasets": (
            f"List {allowed}, with descriptions. Start here: datasets not listed cannot be "
            "read by any other tool."),
        "list_tables": (
            "List the tables of one dataset (an id from list_datasets) with descriptions and "
            "row counts, plus the dataset's notes: business definitions (what counts as "
            "revenue, which statuses to leave out) and join paths. Read the notes before "
            "writing SQL."),
        "get_table": (
            "Describe one table given as 'dataset.table': its columns (name, type, mode, "
            "description), row count, partitioning and clustering, and example values of "
            "low-cardinality text columns (use them for exact filter spellings). Call it for "
            "every table a query will use."),
        "sql_query": (
            "Run ONE read-only GoogleSQL (BigQuery dialect) SELECT and get its columns, the "
            f"first rows (at most {cap}; truncated=true says rows were cut), the row count and "
            "bytes processed. A safety gate checks the statement first: anything but a single "
            "query (DDL, DML, scripts, several statements), tables outside the allowed "
            "datasets and denied functions are refused with the reason, and nothing runs. "
            "Use fully qualified names (dataset.table); aggregate in SQL rather than "
            "fetching raw rows."),
        "search_verified_queries": (
            "Find questions analysts have verified, with the exact SQL that answers each, "
            "closest to the given question first. When one matches the question's meaning, "
            "start from its SQL (adjust filters and dates) instead of writing new SQL."),
        GET_METRICS: (
            "The dataset's agreed semantic definitions: metrics (each with the expression, "
            "table and filters that define it, or its full SQL), entities, dimensions with "
            "their value vocabulary, and join paths. When a question names a metric "
            "('revenue', 'active users'), compute it exactly as defined here. Empty lists "
            "mean the dataset has no definitions."),
        ASK: (
            "Answer a plain-language question about the data with this server's own analyst "
            "model: it explores the datasets, writes and runs one checked read-only query, and "
            "returns the answer text, the SQL, columns, rows (at most "
            f"{cap}), whether rows were cut, how the question was read (interpretation) where "
            "known, and a conversation_id for follow-ups. answered=false means it declined "
            "and says why. Use it for whole questions; use the other tools to explore or to "
            "run SQL you wrote."),
    }


def mcp_tools(settings: Settings) -> list[types.Tool]:
    """Every agent function (in declaration order), then ``get_metrics`` and ``ask``."""
    described = _descriptions(settings)
    read_only = types.ToolAnnotations(read_only_hint=True, destructive_hint=False,
                                      idempotent_hint=True, open_world_hint=False)
    tools = [
        types.Tool(
            name=decl["name"],
            description=described.get(decl["name"], decl["description"]),
            input_schema=decl["parameters"],
            annotations=read_only,
        )
        for decl in declarations()
    ]
    tools.append(types.Tool(name=GET_METRICS, description=described[GET_METRICS],
                            input_schema=METRICS_SCHEMA, annotations=read_only))
    tools.append(types.Tool(
        name=ASK, description=described[ASK], input_schema=ASK_SCHEMA,
        # Not idempotent: a model may answer differently, and each call is a saved turn.
        annotations=types.ToolAnnotations(read_only_hint=True, destructive_hint=False,
                                          idempotent_hint=False, open_world_hint=False),
    ))
    return tools


def agent_functions() -> frozenset[str]:
    return frozenset(d["name"] for d in declarations())
