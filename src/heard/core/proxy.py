"""Who sent a request, and how it reached Heard: the one place that reads forwarded headers.

Behind a reverse proxy (`HEARD_BEHIND_PROXY`), the proxy says in `X-Forwarded-For` whom it
got the request from, after whatever the client itself put there. Only the entries the
trusted proxies added (`HEARD_TRUSTED_PROXIES`) can be believed: reading from the right,
the client is the first address that is not a trusted proxy; everything to its left is
the client's own say and may be made up. `X-Forwarded-Proto` and `X-Forwarded-Host` count
only from a trusted proxy too. `ForwardedHeaders` applies this at the ASGI edge, so that
Django's `REMOTE_ADDR`, `request.is_secure()` and `request.get_host()` already tell the
truth, and `client_address(request)` is what every part of Heard asks.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.http import HttpRequest

from heard.core.bodylimit import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
ADDRESS_MAX = 45  # the longest text form of an IPv6 address


def networks(items: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


@functools.cache
def trusted_proxies() -> tuple[Network, ...]:
    return networks(settings.HEARD_TRUSTED_PROXIES)


def is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The client's address: `peer` (who connected) unless it is a trusted proxy; then the
    rightmost `X-Forwarded-For` entry that is not a trusted proxy (or the leftmost, if every
    hop is one). An entry that is not an address ends the walk at the hop before it."""
    if not is_trusted(peer, trusted):
        return peer
    client = peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop.strip("[]"))
        except ValueError:
            break
        client = hop.strip("[]")
        if not is_trusted(client, trusted):
            break
    return client


def _values(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in headers if key.lower() == name]


def _last(values: Sequence[str]) -> str:
    """The value the nearest proxy set: the last of a list of them."""
    items = [item.strip() for value in values for item in value.split(",") if item.strip()]
    return items[-1] if items else ""


class ForwardedHeaders:
    """ASGI middleware: behind trusted proxies, the scope's client, scheme and host become
    what the proxies say; from anyone else the forwarded headers are ignored."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and settings.HEARD_BEHIND_PROXY:
            scope = forwarded_scope(scope, trusted_proxies())
        await self.app(scope, receive, send)


def forwarded_scope(scope: Scope, trusted: Sequence[Network]) -> Scope:
    client = scope.get("client") or ("", 0)
    peer = str(client[0])
    if not is_trusted(peer, trusted):
        return scope
    headers = list(scope.get("headers", ()))
    scope = dict(scope)
    address = forwarded_client(peer, _values(headers, b"x-forwarded-for"), trusted)
    scope["client"] = (address, 0 if address != peer else client[1])
    proto = _last(_values(headers, b"x-forwarded-proto")).lower()
    if proto in ("http", "https"):
        scope["scheme"] = (
            proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        )
    host = _last(_values(headers, b"x-forwarded-host"))
    if host:
        headers = [(key, value) for key, value in headers if key.lower() != b"host"]
        headers.append((b"host", host.encode("latin-1")))
        scope["headers"] = headers
    return scope


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request (behind trusted proxies: the proxies' client)."""
    return str(request.META.get("REMOTE_ADDR", ""))[:ADDRESS_MAX]
