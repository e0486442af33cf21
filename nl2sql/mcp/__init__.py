"""``nl2sql mcp``: the agent's gated tools and the answer service over the Model Context Protocol.

- ``tools``      the tool list: our declarations, described for an agent client
- ``calls``      one tool call for one user: the agent's Toolbox, get_metrics, or the ask service
- ``resources``  dataset context and semantic definitions files as resources
- ``server``     the SDK server and the stdio transport
- ``http``       streamable HTTP: bearer tokens, Origin and Host checks
"""

from __future__ import annotations

from nl2sql.config import Settings


def serve(settings: Settings, *, http: tuple[str, int] | None = None, user: str,
          keep_state: bool = False) -> None:
    """Serve MCP over stdio (``http=None``) or streamable HTTP on ``(host, port)``.

    The warehouse and the model are opened first, so a bad setting is one clear
    error before any client connects. Over HTTP conversations, rate limits and
    verified queries live in the state database, shared with the web app's API.
    Over stdio, whose working directory is whatever the client chose (perhaps not
    writable), they live in memory for the session unless ``keep_state`` (the
    state database was configured explicitly).
    """
    from nl2sql.runtime import Runtime

    runtime = Runtime(settings)
    try:
        runtime.warehouse, runtime.model  # noqa: B018 - open both now: fail before serving
        # The SDK is imported only now: a bad setting is reported in a blink.
        from nl2sql.mcp.server import build_server, serve_stdio
        from nl2sql.service import Services
        from nl2sql.state import StateDB

        if http is None:
            state = StateDB(settings.state_db if keep_state else ":memory:")
            serve_stdio(Services.build(runtime, state_db=state), user)
            return
        from nl2sql.mcp.http import serve_http

        services = Services.build(runtime)
        host, port = http
        serve_http(build_server(services), settings, host, port)
    finally:
        runtime.close()
