"""MCP over streamable HTTP: the server as an ASGI app, behind tokens and origin checks.

- With ``NL2SQL_API_TOKENS`` set, every request needs ``Authorization: Bearer
  <token>`` (401 otherwise), checked with the SDK's bearer-auth middleware and
  our token list; the caller is the token's user (``nl2sql.tokens``), the same
  user, rate limit and audit trail as on the JSON API.
- The SDK's transport security refuses a request whose ``Origin`` is not
  allowed (403: a browser page of another site, or DNS rebinding) and whose
  ``Host`` is not a name this server answers to (421). Allowed origins are the
  server's own plus ``NL2SQL_MCP_ALLOWED_ORIGINS``; requests without an
  ``Origin`` (non-browser clients) pass, as the spec allows.
- Stateless and JSON responses: any instance can answer any request, so
  several can sit behind one load balancer.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from mcp.server.auth.middleware.bearer_auth import BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.provider import AccessToken
from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.routing import Route

from nl2sql.config import Settings
from nl2sql.tokens import token_matches, token_user

PATH = "/mcp"
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


class TokenList:
    """The SDK's ``TokenVerifier`` over our fixed list of tokens."""

    def __init__(self, tokens: tuple[str, ...]) -> None:
        self.tokens = tokens

    async def verify_token(self, token: str) -> AccessToken | None:
        if not token_matches(token, self.tokens):
            return None
        return AccessToken(token=token, client_id=token_user(token), scopes=[])


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def security(settings: Settings, host: str, port: int) -> TransportSecuritySettings:
    """Which Host and Origin headers a server bound to ``host:port`` accepts."""
    names = {*LOOPBACK, *([_bracket(host)] if host not in ("0.0.0.0", "::") else [])}
    public = urlsplit(settings.public_url) if settings.public_url else None
    if public and public.hostname:
        names.add(_bracket(public.hostname))
    hosts = {h for name in names for h in (name, f"{name}:{port}")}
    hosts.update(settings.mcp_allowed_hosts)
    # Our own origin (a page served from this very address) and the configured ones.
    origins = {f"http://{name}:{port}" for name in names}
    if public and public.netloc:
        origins.add(f"{public.scheme}://{public.netloc}")
    origins.update(o.rstrip("/") for o in settings.mcp_allowed_origins)
    return TransportSecuritySettings(enable_dns_rebinding_protection=True,
                                     allowed_hosts=sorted(hosts), allowed_origins=sorted(origins))


def http_app(server: Server[Any], settings: Settings, host: str, port: int) -> Starlette:
    """The ASGI app serving ``server`` at ``/mcp``."""
    manager = StreamableHTTPSessionManager(
        app=server, stateless=True, json_response=True,
        security_settings=security(settings, host, port))
    endpoint: Any = StreamableHTTPASGIApp(manager)
    middleware = []
    if settings.api_tokens:
        endpoint = RequireAuthMiddleware(endpoint, required_scopes=[])
        middleware.append(Middleware(AuthenticationMiddleware,
                                     backend=BearerAuthBackend(TokenList(settings.api_tokens))))
    return Starlette(routes=[Route(PATH, endpoint=endpoint)], middleware=middleware,
                     lifespan=lambda _app: manager.run())


def serve_http(server: Server[Any], settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted (uvicorn)."""
    import uvicorn

    uvicorn.run(http_app(server, settings, host, port), host=host.strip("[]"), port=port,
                log_level="warning")
