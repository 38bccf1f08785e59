"""One webhook request: a POST to one of the addresses its host was checked to resolve to,
with a short time for the connection and for the whole exchange, reading at most a few KB of
the answer, and never following a redirect.

The connection goes to the checked address itself, while the request names the host (`Host`
header, and for https the name sent in the TLS handshake and checked against the
certificate), so the host's name is not looked up again between the check and the request.
A watchdog shuts the socket once the whole exchange's time is up: a receiver that sends its
answer a byte at a time holds the worker no longer than one that does not answer.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from heard.webhooks.targets import IPAddress, Target

CONNECT_SECONDS = 5.0


@dataclass(frozen=True)
class Answer:
    """What came back: the status and the start of the body, or the error that stopped it."""

    status: int | None
    body: bytes
    truncated: bool
    error: str
    duration_ms: int
    retry_after: str = ""
    location: str = ""


class _Pinned(http.client.HTTPConnection):
    """An HTTP connection to a chosen address of the host it names."""

    def __init__(self, host: str, port: int, ip: IPAddress, connect_seconds: float) -> None:
        super().__init__(host, port, timeout=connect_seconds)
        self.ip = ip

    def _open(self) -> socket.socket:
        sock = socket.create_connection((str(self.ip), self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedTLS(_Pinned):
    default_port = http.client.HTTPS_PORT

    def __init__(self, host: str, port: int, ip: IPAddress, connect_seconds: float) -> None:
        super().__init__(host, port, ip, connect_seconds)
        self.context = ssl.create_default_context()

    def connect(self) -> None:
        # The certificate is checked against the host's name, as any client would.
        self.sock = self.context.wrap_socket(self._open(), server_hostname=self.host)


class _Watchdog:
    """Shuts the connection's socket when the exchange's time is up."""

    def __init__(self, connection: _Pinned, seconds: float) -> None:
        self.connection = connection
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # closed already
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.timer.cancel()


def post(
    target: Target,
    body: bytes,
    headers: Mapping[str, str],
    *,
    seconds: float,
    keep_bytes: int,
    connect_seconds: float = CONNECT_SECONDS,
) -> Answer:
    """POST `body` to `target`, trying its addresses in order until one connects, within
    `seconds` in all; the answer's first `keep_bytes`."""
    started = time.monotonic()
    deadline = started + seconds
    error = ""
    for ip in target.ips:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        connection_type = _PinnedTLS if target.address.is_https else _Pinned
        connection = connection_type(
            target.address.host, target.address.port, ip, min(connect_seconds, left)
        )
        answer, error, connected = _exchange(
            connection, target, body, headers, deadline, seconds, keep_bytes
        )
        if answer is not None:
            return _timed(answer, started)
        if connected:
            break  # the request may have reached it: another address would send it twice
    return Answer(None, b"", False, error or _late(seconds), _ms(started))


def _exchange(
    connection: _Pinned,
    target: Target,
    body: bytes,
    headers: Mapping[str, str],
    deadline: float,
    seconds: float,
    keep_bytes: int,
) -> tuple[Answer | None, str, bool]:
    """One connection's exchange, within what is left of the attempt's `seconds`: (the
    answer, or None with the error; whether it connected)."""
    with _Watchdog(connection, max(deadline - time.monotonic(), 0.001)) as watchdog:
        try:
            connection.connect()
        except (OSError, ssl.SSLError) as failure:
            connection.close()
            return None, _late(seconds) if watchdog.fired else _describe(failure, seconds), False
        try:
            connection.sock.settimeout(max(deadline - time.monotonic(), 0.001))
            connection.putrequest("POST", target.address.path, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
        except (OSError, http.client.HTTPException) as failure:
            connection.close()
            return None, _late(seconds) if watchdog.fired else _describe(failure, seconds), True
        kept, truncated = _read_start(response, keep_bytes)
        answer = Answer(
            response.status,
            kept,
            truncated or watchdog.fired,
            "",
            0,
            retry_after=response.getheader("Retry-After", "") or "",
            location=response.getheader("Location", "") or "",
        )
        connection.close()
        return answer, "", True


def _read_start(response: http.client.HTTPResponse, keep_bytes: int) -> tuple[bytes, bool]:
    """At most `keep_bytes` of the body, and whether there was more (or it was cut off)."""
    kept = bytearray()
    try:
        while len(kept) <= keep_bytes:
            piece = response.read1(keep_bytes + 1 - len(kept))
            if not piece:
                return bytes(kept), False
            kept += piece
    except (OSError, http.client.HTTPException, ValueError):
        return bytes(kept[:keep_bytes]), True
    return bytes(kept[:keep_bytes]), True


def _timed(answer: Answer, started: float) -> Answer:
    return Answer(
        answer.status,
        answer.body,
        answer.truncated,
        answer.error,
        _ms(started),
        answer.retry_after,
        answer.location,
    )


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _late(seconds: float) -> str:
    return f"No complete answer within {seconds:.3g} s."


def _describe(failure: BaseException, seconds: float) -> str:
    if isinstance(failure, TimeoutError | socket.timeout):
        return _late(seconds)
    if isinstance(failure, ssl.SSLCertVerificationError):
        return f"The server's certificate was refused: {failure.verify_message}."
    if isinstance(failure, ConnectionRefusedError):
        return "The connection was refused."
    if isinstance(failure, http.client.RemoteDisconnected):
        return "The server closed the connection without answering."
    if isinstance(failure, http.client.HTTPException):
        return f"The answer was not HTTP ({type(failure).__name__})."
    text = str(failure) or type(failure).__name__
    return text[:300]
