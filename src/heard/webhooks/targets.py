"""Where a webhook may send: an `http://` or `https://` address without a user name or
password, whose host resolves only to public addresses.

A webhook is a way for anyone who owns a workspace to make Heard's server send requests, so
an address inside the server's own network (its loopback, a private range, the cloud's
metadata service at 169.254.169.254) is refused, at registration and again before each
attempt, unless `HEARD_WEBHOOKS_ALLOW_PRIVATE` says the operator's own network is a fair
target. The check resolves the name itself, and the request then goes to one of the very
addresses checked (`transport`), so a name that resolves elsewhere a moment later (DNS
rebinding) cannot send it anywhere else.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# How long a name lookup may take before the attempt counts as a network failure.
RESOLVE_SECONDS = 5.0
SCHEMES = {"http": 80, "https": 443}
# IPv6 prefixes that carry an IPv4 address a gateway reaches for the sender: NAT64.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class TargetRefused(ValueError):
    """An address Heard does not send to, with the reason in words."""


class TargetUnreachable(OSError):
    """The host's name could not be resolved (now: it may resolve later)."""


@dataclass(frozen=True)
class Address:
    """A webhook's address, taken apart: the host as the request names it (ASCII)."""

    scheme: str
    host: str
    port: int
    path: str

    @property
    def is_https(self) -> bool:
        return self.scheme == "https"


@dataclass(frozen=True)
class Target:
    """An address and what its host resolved to, every one of them checked."""

    address: Address
    ips: tuple[IPAddress, ...]


def split(url: str) -> Address:
    """The parts of `url`, or TargetRefused saying what is wrong with it."""
    text = url.strip()
    if not text or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise TargetRefused("Write the address without spaces, as https://example.com/hooks/heard.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise TargetRefused("This is not an address Heard can read.") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise TargetRefused("Heard sends webhooks only to http:// and https:// addresses.")
    if "@" in parts.netloc:
        raise TargetRefused(
            "The address carries a user name or password: Heard does not send credentials in "
            "an address. Check the request's signature instead (see the webhooks' help)."
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise TargetRefused("The address names no host.")
    try:
        ascii_host = host if _literal(host) else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise TargetRefused("The host's name is not one Heard can look up.") from None
    if port == 0:
        raise TargetRefused("Port 0 is not a port Heard can send to.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Address(scheme, ascii_host.lower(), port or SCHEMES[scheme], path)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def forbidden(ip: IPAddress) -> str:
    """Why Heard does not send to `ip` (the kind of range it is in), or "" when it may."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return forbidden(embedded)
    for kind, test in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if test:
            return kind
    return "" if ip.is_global else "non-public"


def resolve(address: Address, seconds: float = RESOLVE_SECONDS) -> tuple[IPAddress, ...]:
    """Every address the host resolves to (its own, for an address written as one), in the
    resolver's order; TargetUnreachable when the name does not resolve within `seconds`."""
    literal = _literal(address.host)
    if literal is not None:
        return (literal,)
    found: list[object] = []

    def look_up() -> None:
        try:
            found.append(socket.getaddrinfo(address.host, address.port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            found.append(error)

    # A resolver that does not answer must not hold the worker: the lookup runs aside.
    lookup = threading.Thread(target=look_up, name="webhook-dns", daemon=True)
    lookup.start()
    lookup.join(seconds)
    if not found:
        raise TargetUnreachable(f"Looking up {address.host} took longer than {seconds:g} s.")
    result = found[0]
    if isinstance(result, BaseException):
        raise TargetUnreachable(f"{address.host} could not be found ({_reason(result)}).")
    ips: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in result:  # type: ignore[attr-defined]
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in ips:
            ips.append(ip)
    if not ips:
        raise TargetUnreachable(f"{address.host} resolves to no address.")
    return tuple(ips)


def _reason(error: BaseException) -> str:
    if isinstance(error, socket.gaierror) and len(error.args) > 1:
        return str(error.args[1])
    return str(error) or type(error).__name__


def allow_private() -> bool:
    return bool(settings.HEARD_WEBHOOKS_ALLOW_PRIVATE)


def check(url: str, *, private_allowed: bool | None = None) -> Target:
    """The address of `url` and what its host resolves to, every one of them allowed; else
    TargetRefused (what the address is, or where it leads), or TargetUnreachable."""
    address = split(url)
    ips = resolve(address)
    if not (allow_private() if private_allowed is None else private_allowed):
        for ip in ips:
            kind = forbidden(ip)
            if kind:
                named = "" if _literal(address.host) else f"{address.host} resolves to "
                raise TargetRefused(
                    f"{named}{ip}, a {kind} address: Heard sends webhooks only to addresses "
                    "on the public internet."
                )
    return Target(address, ips)
