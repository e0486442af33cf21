"""The MCP server: nl2sql's gated tools and dataset context for agent clients.

Built on the ``mcp`` SDK's low-level ``Server`` because the tools' argument
schemas are our declarations (``schemas/functions.json``), not signatures the
SDK would infer. Handlers are thin: blocking work (warehouse, model) runs in a
worker thread through ``Calls``; who is calling comes from the HTTP request
(the bearer token's user) or, over stdio, from the process's user.
"""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import threading
from importlib.metadata import version
from typing import Any

import anyio
import anyio.lowlevel
import mcp_types as types
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError

from nl2sql.agent import Event, EventSink
from nl2sql.errors import Nl2SqlError, NotFound
from nl2sql.mcp import resources
from nl2sql.mcp.calls import Caller, Calls
from nl2sql.mcp.tools import mcp_tools
from nl2sql.service import Services

log = logging.getLogger(__name__)

#: JSON-RPC error code the MCP spec gives an unknown resource
RESOURCE_NOT_FOUND = -32002
INTERNAL_ERROR = -32603
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
ANONYMOUS = "anonymous"


def instructions(services: Services) -> str:
    settings = services.runtime.settings
    return (
        "nl2sql answers questions over a data warehouse, read-only. Use `ask` for a whole "
        "question in plain language (this server's model explores, queries and answers). "
        "To work yourself: list_datasets, then list_tables (read its notes: business "
        "definitions and join paths), get_table for each table, then sql_query with one "
        "GoogleSQL SELECT using dataset.table names. Every statement passes a safety gate "
        "(one read-only query over allowed datasets) before it runs; a refusal says why. "
        f"Results are capped at {settings.max_rows:,} rows. Dataset context files are "
        "also available as resources."
    )


def _caller(ctx: Any, default_user: str) -> Caller:
    """The user: the bearer token's over HTTP (anonymous without tokens), else
    ``default_user`` (stdio: whoever started the process)."""
    request = getattr(ctx, "request", None)
    if request is None:
        return Caller(default_user, "stdio")
    user = request.scope.get("user")
    name = user.access_token.client_id if isinstance(user, AuthenticatedUser) else ANONYMOUS
    incoming = request.headers.get("x-request-id", "")
    request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)
    return Caller(name, "http", request_id)


def _progress(ctx: Any, loop: Any = None) -> EventSink:
    """Relays the agent's steps during ``ask`` as MCP progress notifications, for a
    client that asked for them (the SDK drops them otherwise). Best effort: a
    transport that cannot carry them (JSON responses over HTTP) loses nothing else.

    ``loop``: the event loop's token, so steps the agent runs in parallel (from its
    own worker threads, not anyio's) reach the client too; the lock keeps the
    progress numbers in the order they are sent."""
    count = itertools.count(1)
    lock = threading.Lock()

    def sink(event: Event) -> None:
        if event["event"] == "model_started":
            message = f"model turn {event['turn']}"
        elif event["event"] == "step_started":
            args = ", ".join(f"{v}" for v in (event.get("args") or {}).values())
            message = f"{event['name']}({args[:200]})"
        else:
            return
        try:
            with lock:
                anyio.from_thread.run(ctx.session.report_progress, float(next(count)), None,
                                      message, token=loop)
        except Exception:  # noqa: BLE001 - progress must never fail the answer
            log.debug("progress notification not sent", exc_info=True)

    return sink


def build_server(services: Services, *, default_user: str = ANONYMOUS) -> Server[Any]:
    """An MCP server over ``services``; ``default_user`` is who stdio calls run as."""
    calls = Calls(services)
    tools = mcp_tools(services.runtime.settings)

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        caller = _caller(ctx, default_user)
        # The warehouse and the model block: run them off the event loop, so one
        # slow query does not stall other clients of the HTTP server.
        return await anyio.to_thread.run_sync(calls.run, params.name, params.arguments, caller,
                                              _progress(ctx, anyio.lowlevel.current_token()))

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        box = calls.toolbox(_caller(ctx, default_user))
        found = await anyio.to_thread.run_sync(resources.list_resources, box)
        return types.ListResourcesResult(resources=found)

    async def read_resource(ctx: Any, params: types.ReadResourceRequestParams
                            ) -> types.ReadResourceResult:
        box = calls.toolbox(_caller(ctx, default_user))
        try:
            return await anyio.to_thread.run_sync(resources.read_resource, box, str(params.uri))
        except NotFound as e:
            raise MCPError(RESOURCE_NOT_FOUND, e.message) from None
        except Nl2SqlError as e:  # the warehouse is down, say: a sentence, not "not found"
            raise MCPError(INTERNAL_ERROR, e.message) from None

    return Server(
        "nl2sql",
        version=version("nl2sql"),
        title="nl2sql: read-only questions and SQL over a data warehouse",
        instructions=instructions(services),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )


async def _serve_stdio(server: Server[Any]) -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def serve_stdio(services: Services, user: str) -> None:
    """Serve MCP on stdin/stdout until the client closes stdin."""
    anyio.run(_serve_stdio, build_server(services, default_user=user))
