"""Refusing, and recording, every attempt of this process to reach another machine.

Inside `outside_refused()` Python's ways out are watched: a socket's `connect`, `connect_ex`
and `sendto`, `socket.create_connection`, and the name lookups (`getaddrinfo` and the
`gethostby…` family, which ask a DNS server about any name the machine does not know itself).
An address of another machine, or any name but the loopback's own, is refused as a server
that is not there would refuse it, and recorded. The loopback stays open, by address or by
the names the hosts file gives it (`localhost`; a name it does not list would be asked of a
DNS server), and so do local sockets (a Unix socket's path): the test database, a live
server and a local SMTP server keep working.

It sees what goes through Python's `socket` module, which every HTTP, SMTP and S3 client in
Heard's dependencies uses. Code that opens connections itself in C or Rust (libpq; the
tokenizers library's own downloads) goes around it, as does another process.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

LOCAL_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})


@dataclass(frozen=True)
class Attempt:
    """One refused attempt: the call, and where it wanted to go ("huggingface.co:443")."""

    call: str
    target: str

    def __str__(self) -> str:
        return f"{self.call}({self.target})"


class OutsideRefused(ConnectionRefusedError):
    """What a refused connection raises: what a closed port answers."""


def is_local(host: Any) -> bool:
    """Whether `host` (an address, a name, or none at all) means this machine's loopback."""
    if host is None or host in ("", b""):
        return True  # no host: a passive lookup or a local bind, no other machine
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip().lower().rstrip(".").split("%")[0]
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host in LOCAL_NAMES
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _where(host: Any, port: Any = None) -> str:
    host = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
    return host if port in (None, "", 0) else f"{host}:{port}"


@dataclass
class Guard:
    """What was refused while the guard held, in order."""

    attempts: list[Attempt] = field(default_factory=list)

    def refuse(self, call: str, target: str) -> None:
        self.attempts.append(Attempt(call, target))

    def _outside(self, sock: socket.socket, address: Any) -> str | None:
        """Where `address` leads when it is another machine (as "host:port"), else None."""
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return None  # a Unix socket, netlink: this machine
        if not isinstance(address, tuple) or not address:
            return None
        host = address[0]
        port = address[1] if len(address) > 1 else None
        return None if is_local(host) else _where(host, port)

    def connect(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def connect(sock: socket.socket, address: Any) -> Any:
            target = self._outside(sock, address)
            if target is not None:
                self.refuse("connect", target)
                raise OutsideRefused(errno.ECONNREFUSED, f"{target} is outside: refused")
            return original(sock, address)

        return connect

    def connect_ex(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def connect_ex(sock: socket.socket, address: Any) -> Any:
            target = self._outside(sock, address)
            if target is not None:
                self.refuse("connect_ex", target)
                return errno.ECONNREFUSED
            return original(sock, address)

        return connect_ex

    def sendto(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def sendto(sock: socket.socket, data: Any, *rest: Any) -> Any:
            target = self._outside(sock, rest[-1]) if rest else None
            if target is not None:
                self.refuse("sendto", target)
                raise OutsideRefused(errno.ECONNREFUSED, f"{target} is outside: refused")
            return original(sock, data, *rest)

        return sendto

    def create_connection(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
            host, port = address[0], address[1]
            if not is_local(host):
                self.refuse("create_connection", _where(host, port))
                raise OutsideRefused(errno.ECONNREFUSED, f"{host} is outside: refused")
            return original(address, *args, **kwargs)

        return create_connection

    def lookup(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        """A name lookup: `getaddrinfo(host, port, …)`, `gethostbyname(host)`, …"""

        def lookup(*args: Any, **kwargs: Any) -> Any:
            host = args[0] if args else kwargs.get("host")
            if not is_local(host):
                port = args[1] if len(args) > 1 else kwargs.get("port")
                self.refuse(name, _where(host, port if name == "getaddrinfo" else None))
                raise socket.gaierror(socket.EAI_NONAME, f"{host} is outside: not looked up")
            return original(*args, **kwargs)

        return lookup


LOOKUPS = ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr")


@contextmanager
def outside_refused() -> Iterator[Guard]:
    """Refuse and record every attempt to reach another machine while the block runs."""
    guard = Guard()
    replacements: list[tuple[Any, str, Any]] = [
        (socket.socket, "connect", guard.connect(socket.socket.connect)),
        (socket.socket, "connect_ex", guard.connect_ex(socket.socket.connect_ex)),
        (socket.socket, "sendto", guard.sendto(socket.socket.sendto)),
        (socket, "create_connection", guard.create_connection(socket.create_connection)),
        *((socket, name, guard.lookup(name, getattr(socket, name))) for name in LOOKUPS),
    ]
    saved = [(owner, name, owner.__dict__.get(name)) for owner, name, _ in replacements]
    for owner, name, replacement in replacements:
        setattr(owner, name, replacement)
    try:
        yield guard
    finally:
        for owner, name, before in saved:
            if before is None:
                delattr(owner, name)  # it was inherited: the class's own is gone again
            else:
                setattr(owner, name, before)
