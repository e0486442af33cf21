"""The client's address behind reverse proxies: ``NL2SQL_TRUSTED_PROXIES``.

Rate limits for users without an identity are kept per client address, so the
address must be one a client cannot choose. ``X-Forwarded-For`` is written by
whoever sends the request; only a proxy we trust may vouch for it:

- empty (the default): the header is ignored; the address is the peer's.
- a number N: exactly N proxies stand in front of the service (a load
  balancer, then nginx: 2); the client is the N-th address from the right
  (werkzeug's ``ProxyFix``, the field's tool for this).
- addresses or CIDRs (``10.0.0.0/8,127.0.0.1``): when the peer is one of them,
  addresses are read from the right, skipping trusted ones; the first other
  address is the client (nginx's ``real_ip_recursive``).

>>> parse("2"), parse(""), parse("10.0.0.0/8, ::1")
(2, None, (IPv4Network('10.0.0.0/8'), IPv6Network('::1/128')))
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

from nl2sql.errors import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Trusted = int | tuple[Network, ...] | None
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def parse(value: str) -> Trusted:
    """The setting's value as a hop count, trusted networks, or None (trust nobody)."""
    value = value.strip()
    if not value or value == "0":
        return None
    if value.isdigit():
        return int(value)
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in value.split(",") if part.strip())
    except ValueError as e:
        raise ConfigError(f"NL2SQL_TRUSTED_PROXIES={value!r} is not valid ({e}): give a number "
                          "of proxies or comma-separated addresses/CIDRs") from None


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(peer: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """The client address given the peer, its ``X-Forwarded-For`` and the trusted networks.

    >>> nets = parse("10.0.0.0/8")
    >>> client_address("10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.7", nets)
    '1.2.3.4'
    >>> client_address("1.2.3.4", "6.6.6.6", nets)  # an untrusted peer vouches for nothing
    '1.2.3.4'
    """
    def is_trusted(text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in net for net in trusted)

    client = peer
    if not is_trusted(peer):
        return client
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if _address(hop) is None:
            break  # not an address: keep the last one a trusted proxy gave us
        client = hop
        if not is_trusted(hop):
            break
    return client


class TrustedProxies:
    """WSGI middleware: ``REMOTE_ADDR`` becomes the client behind trusted proxies."""

    def __init__(self, app: WsgiApp, trusted: tuple[Network, ...]) -> None:
        self.app = app
        self.trusted = trusted

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        peer = environ.get("REMOTE_ADDR", "")
        environ["nl2sql.peer_addr"] = peer
        environ["REMOTE_ADDR"] = client_address(
            peer, environ.get("HTTP_X_FORWARDED_FOR", ""), self.trusted)
        return self.app(environ, start_response)


def wrap(app: WsgiApp, setting: str) -> WsgiApp:
    """``app`` behind the configured proxies (unchanged when none is trusted)."""
    trusted = parse(setting)
    if trusted is None:
        return app
    if isinstance(trusted, int):
        return ProxyFix(app, x_for=trusted, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    return TrustedProxies(app, trusted)
