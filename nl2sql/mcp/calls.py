"""Running one MCP tool call for one user: the agent's tools, or the answer service.

Each call goes through the same code the agent uses (``Toolbox.call``: argument
validation, the dataset allowlist, the safety gate, row and byte caps, query
timeout) with job labels ``interface=mcp`` and the caller as ``user``. A
failure the agent would show its model (an ``Nl2SqlError``) becomes an MCP tool
error carrying the same sentence; anything else is logged and reported as an
internal error, never as a traceback. Every call is one audit log line.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import jsonschema
import mcp_types as types

from nl2sql.agent import EventSink
from nl2sql.errors import BadRequest, Nl2SqlError
from nl2sql.mcp.tools import ASK, GET_METRICS, METRICS_SCHEMA, agent_functions
from nl2sql.service import Services, parse_ask
from nl2sql.tools import Toolbox

log = logging.getLogger(__name__)

INTERFACE = "mcp"
#: tools that cost a warehouse job or model calls, so count against the user's rate limit
METERED = frozenset({"sql_query", ASK})
#: what ``list_tables`` carries of a dataset's semantic definitions
SEMANTIC_KEYS = ("metrics", "entities", "dimensions", "joins")
#: keys of the answer service's result that an MCP client gets from ``ask``
ASK_KEYS = ("question", "answered", "answer", "interpretation", "sql", "columns", "rows",
            "row_count", "truncated", "bytes_processed", "steps", "model", "conversation_id",
            "answer_id")


@dataclass(frozen=True)
class Caller:
    """Who is calling, for rate limits, job labels and the audit log."""

    user: str
    transport: str  # "stdio" or "http"
    request_id: str | None = None


class Calls:
    """Dispatches tool calls against one ``Services`` (runtime, state, limiter)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def run(self, name: str, arguments: dict[str, Any] | None, caller: Caller,
            on_event: EventSink | None = None) -> types.CallToolResult:
        """Run tool ``name`` (blocking: call it from a worker thread); ``on_event``
        hears the agent's progress while ``ask`` runs."""
        started = time.perf_counter()
        args = arguments or {}
        error: str | None = None
        try:
            payload = self._dispatch(name, args, caller, on_event)
            result = _success(payload)
        except Nl2SqlError as e:
            error = e.message
            result = _failure(error)
        except Exception:  # noqa: BLE001 - a client must hear about every failure
            log.exception("unexpected error in MCP tool %s", name)
            error = f"{name} failed with an internal error; try another approach"
            result = _failure(error)
        log.info("mcp_call", extra={"fields": {
            "request_id": caller.request_id, "user": caller.user, "interface": INTERFACE,
            "transport": caller.transport, "tool": name, "args": args,
            "ok": error is None, "error": error,
            "seconds": round(time.perf_counter() - started, 4),
        }})
        return result

    def _dispatch(self, name: str, args: dict[str, Any], caller: Caller,
                  on_event: EventSink | None) -> dict[str, Any]:
        if name == ASK:
            return self._ask(args, caller, on_event)
        if name == GET_METRICS:
            return self._metrics(args, caller)
        if name not in agent_functions():
            known = ", ".join([*sorted(agent_functions()), GET_METRICS, ASK])
            raise BadRequest(f"unknown tool {name!r}; available: {known}")
        if name in METERED:
            self.services.limiter.check(caller.user)
        # Bad arguments get the Toolbox's own sentences.
        return self.toolbox(caller).call(name, args).payload

    def toolbox(self, caller: Caller) -> Toolbox:
        """The agent's tools, labelled with this caller (BigQuery job labels)."""
        runtime = self.services.runtime
        warehouse = runtime.warehouse  # first: the knowledge needs its project
        return Toolbox(warehouse, runtime.settings, knowledge=runtime.knowledge,
                       labels={"interface": INTERFACE, "user": caller.user})

    def _metrics(self, args: dict[str, Any], caller: Caller) -> dict[str, Any]:
        # The definitions list_tables hands the agent's model, through its allowlist
        # check; arguments checked as the Toolbox checks its own (same sentences).
        unknown = sorted(set(args) - set(METRICS_SCHEMA["properties"]))
        if unknown:
            raise BadRequest(f"bad arguments for {GET_METRICS}: unexpected "
                             f"{', '.join(map(repr, unknown))}; {GET_METRICS} takes dataset_id")
        try:
            jsonschema.validate(args, METRICS_SCHEMA)
        except jsonschema.ValidationError as e:
            where = "/".join(map(str, e.absolute_path)) or "arguments"
            raise BadRequest(f"bad arguments for {GET_METRICS}: {where}: {e.message}") from None
        listed = self.toolbox(caller).list_tables(args["dataset_id"])
        return {"dataset_id": listed["dataset_id"],
                **{key: listed.get(key, []) for key in SEMANTIC_KEYS}}

    def _ask(self, args: dict[str, Any], caller: Caller, on_event: EventSink | None
             ) -> dict[str, Any]:
        question, conversation_id = parse_ask(args)
        asker = self.services.asker
        pending = asker.prepare(caller.user, question, conversation_id, interface=INTERFACE,
                                request_id=caller.request_id)
        answer = asker.run(pending, on_event)
        return {k: answer[k] for k in ASK_KEYS if k in answer}


def _success(payload: dict[str, Any]) -> types.CallToolResult:
    # The text block repeats the structured content, as the MCP spec asks, for
    # clients that read only text.
    text = json.dumps(payload, ensure_ascii=False, default=str)
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)],
                                structured_content=json.loads(text), is_error=False)


def _failure(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)],
                                is_error=True)
