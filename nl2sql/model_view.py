"""What the model is sent of query results: enough to answer, not every row.

The user sees the whole preview (``NL2SQL_MAX_ROWS`` rows); the model gets the
first ``MODEL_ROWS`` rows and, when rows were left out, per-column statistics
over all fetched rows (count, distinct, nulls, min, max), which is what it
needs to describe a long result without paying for it in tokens at every later
step. Results of earlier steps of the same question are summarised further
(``summarise_older``): only the newest result travels in full.

What Gemini is sent is more compact still (``compact_output``): a table's
columns keyed by name, a bare type where there is nothing else to say, and
verified matches without their dataset. Only the wire sees that form; the
conversation (and the offline planner, which reads it) keeps the tools' own dicts.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

from nl2sql.models.base import Message
from nl2sql.warehouse.base import QueryResult

MODEL_ROWS = 30  # rows of a result the model sees
OLDER_ROWS = 3  # rows an earlier step's result keeps in later requests
MAX_DISTINCT_TRACKED = 10_000


def result_for_model(result: QueryResult, rows: int = MODEL_ROWS) -> dict[str, Any]:
    """``result.to_dict()`` with at most ``rows`` rows and, when rows were cut, stats."""
    out = result.to_dict()
    if len(result.rows) <= rows:
        return out
    out["rows"] = result.rows[:rows]
    out["rows_shown_to_you"] = rows
    out["column_stats"] = column_stats(result.columns, result.rows)
    out["note"] = (f"You see the first {rows} of {len(result.rows)} rows; column_stats cover "
                   "all of them. The user sees every row in a table below your answer.")
    return out


def compact_output(output: Any) -> Any:
    """A function's output as Gemini is sent it: table columns keyed by name
    (``compact_columns``), verified matches without their dataset (their SQL names
    it). Other outputs unchanged.

    >>> compact_output({"matches": [{"question": "q", "sql": "s", "dataset_id": "d",
    ...                              "score": 90, "same_question": True}]})
    {'matches': [{'question': 'q', 'sql': 's', 'score': 90, 'same_question': True}]}
    """
    if isinstance(output, dict) and isinstance(output.get("matches"), list):
        return {**output, "matches": [
            {k: v for k, v in m.items() if k != "dataset_id"}
            if isinstance(m, dict) else m for m in output["matches"]]}
    return compact_columns(output)


def compact_columns(output: Any) -> Any:
    """A ``get_table`` output with its columns keyed by name: ``"TYPE"`` for a column
    with nothing but a type, ``"TYPE: description"`` for one with a description too,
    else the column's other fields. Other outputs unchanged.

    Every character goes to the model with each later request, and ``{"name": ...,
    "type": ...}`` per column roughly doubles a plain column's size.

    >>> compact_columns({"columns": [{"name": "id", "type": "INT64"},
    ...                              {"name": "at", "type": "TIMESTAMP", "description": "UTC"},
    ...                              {"name": "s", "type": "STRING", "examples": ["a"]}]})
    {'columns': {'id': 'INT64', 'at': 'TIMESTAMP: UTC', 's': {'type': 'STRING', 'examples': ['a']}}}
    """
    if not isinstance(output, dict):
        return output
    columns = output.get("columns")
    if not (isinstance(columns, list) and columns
            and all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in columns)):
        return output  # a query result's column names, or nothing to compact
    if len({c["name"] for c in columns}) != len(columns):
        return output  # duplicate names would collide as keys
    compact: dict[str, Any] = {}
    for c in columns:
        rest = {k: v for k, v in c.items() if k != "name"}
        if set(rest) == {"type"}:
            compact[c["name"]] = rest["type"]
        elif set(rest) == {"type", "description"}:
            compact[c["name"]] = f"{rest['type']}: {rest['description']}"
        else:
            compact[c["name"]] = rest
    return {**output, "columns": compact}


def column_stats(columns: list[str], rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    """Per column: non-null count, distinct values, nulls, min and max (comparable values).

    >>> column_stats(["n"], [[3], [1], [None], [3]])
    {'n': {'count': 3, 'distinct': 2, 'nulls': 1, 'min': 1, 'max': 3}}
    """
    stats: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(columns):
        values = [r[i] for r in rows if i < len(r)]
        present = [v for v in values if v is not None]
        hashable = [v for v in present if isinstance(v, (str, int, float, bool))]
        col: dict[str, Any] = {"count": len(present),
                               "distinct": len(set(hashable[:MAX_DISTINCT_TRACKED])),
                               "nulls": len(values) - len(present)}
        if hashable:
            with contextlib.suppress(TypeError):  # mixed types have no order
                col["min"], col["max"] = min(hashable), max(hashable)
        stats[name] = col
    return stats


def summarise_older(history: list[Message], start: int) -> list[Message]:
    """``history`` with the results of this question's earlier steps (from ``start``,
    all but the newest tool turn) summarised: query results cut to a few rows and
    their counts, table descriptions to names, types and examples, verified matches
    to the same-question one and those whose SQL the model has run since (so it can
    still say which verified query it reused)."""
    tool_turns = [i for i in range(start, len(history)) if history[i].role == "tool"]
    older = set(tool_turns[:-1])
    ran = {" ".join(str(c.args.get("query", "")).split()) for m in history[start:]
           for c in m.calls if c.name == "sql_query"}
    return [_summarised(m, ran) if i in older else m for i, m in enumerate(history)]


def _summarised(message: Message, ran: set[str]) -> Message:
    responses = []
    for r in message.responses:
        output = r.response.get("output")
        if isinstance(output, dict) and isinstance(output.get("columns"), list) \
                and output["columns"] and isinstance(output["columns"][0], dict):
            # an earlier get_table: names, types and example values still matter for
            # the SQL; the prose descriptions and metric definitions were read when it
            # was new (the SQL written from them is in the conversation)
            columns = [{k: v for k, v in c.items() if k != "description"}
                       for c in output["columns"]]
            # (the table's own description stays: the offline planner reads it)
            kept = {k: v for k, v in output.items() if k != "metrics"}
            r = replace(r, response={"output": {**kept, "columns": columns}})
        if isinstance(output, dict) and isinstance(output.get("matches"), list):
            # earlier verified pairs: the SQL written from them is in the conversation;
            # only a same-question match (the SQL to run) is kept
            matches = [m for m in output["matches"] if isinstance(m, dict) and (
                m.get("same_question") or " ".join(str(m.get("sql", "")).split()) in ran)]
            kept = {**output, "matches": matches}
            if len(matches) < len(output["matches"]):
                kept["note"] = (f"an earlier step's result: {len(output['matches'])} matches, "
                                "examples only shown when new")
            r = replace(r, response={"output": kept})
        if isinstance(output, dict) and isinstance(output.get("rows"), list) \
                and len(output["rows"]) > OLDER_ROWS:
            kept = {k: v for k, v in output.items() if k not in ("rows", "note", "column_stats")}
            kept["rows"] = output["rows"][:OLDER_ROWS]
            kept["note"] = (f"an earlier step's result, summarised: {OLDER_ROWS} of "
                            f"{len(output['rows'])} rows shown; run the query again if you "
                            "need the rest")
            r = replace(r, response={"output": kept})
        responses.append(r)
    return replace(message, responses=responses)
