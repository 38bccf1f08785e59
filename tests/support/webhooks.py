"""A webhook receiver for the tests: a real HTTP server on the loopback, in a thread, that
records every request and answers as the test says (a status, headers, a body, after a while,
or a byte at a time); and the signature check exactly as `docs/webhooks.md` writes it."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from django.utils import timezone

from heard.webhooks.models import Attempt, Delivery, DeliveryStatus, Event, EventType, Webhook

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


@dataclass(frozen=True)
class Reply:
    """How the receiver answers one request."""

    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: dict[str, str] = field(default_factory=dict)
    wait: float = 0.0
    """Seconds to wait before answering at all."""
    drip: float = 0.0
    """Seconds between each byte of the answer (a receiver that trickles)."""


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """A real HTTP server on 127.0.0.1 (any free port) that records what it receives."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.replies: list[Reply] = []
        self.default = Reply()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.received.append(
                        Received(
                            "POST",
                            self.path,
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                            time.monotonic(),
                        )
                    )
                    reply = receiver.replies.pop(0) if receiver.replies else receiver.default
                time.sleep(reply.wait)
                head = f"HTTP/1.1 {reply.status} Answer\r\n"
                headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
                raw = head.encode() + reply.body
                try:
                    if reply.drip:
                        for byte in raw:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.drip)
                    else:
                        self.wfile.write(raw)
                except OSError:
                    pass  # the sender gave up: as a real receiver would, carry on
                self.close_connection = True

            do_GET = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # a receiver still "hanging" does not hold the test
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/hooks/heard", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def answer(self, *replies: Reply) -> None:
        """The next requests get these answers, in order; then the default (200)."""
        with self.lock:
            self.replies.extend(replies)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, seconds: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)


def documented_verify() -> Callable[..., bool]:
    """`verify` as `docs/webhooks.md` writes it, taken from the page and run."""
    section = DOCS.read_text().split("## Verifying the signature", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert found, "docs/webhooks.md shows how to verify a signature in Python"
    namespace: dict[str, Any] = {}
    exec(compile(found.group(1), str(DOCS), "exec"), namespace)  # noqa: S102 (our own docs)
    verify: Callable[..., bool] = namespace["verify"]
    return verify


def delivered_to(hook: Webhook) -> Delivery:
    """A delivery in the webhook's log, with an attempt that failed and one that arrived, as
    the worker records them (for pages to show without sending anything)."""
    now = timezone.now()
    event = Event.objects.create(
        workspace=hook.workspace,
        type=EventType.INTERVIEW_FINISHED,
        body=json.dumps({"id": "0", "type": "interview.finished", "data": {}}),
        created_at=now,
    )
    delivery = Delivery.objects.create(
        webhook=hook,
        event=event,
        status=DeliveryStatus.DELIVERED,
        next_attempt_at=now,
        attempts=2,
        tries=2,
        response_status=200,
        finished_at=now,
    )
    Attempt.objects.create(
        delivery=delivery, number=1, at=now, duration_ms=31, response_status=503,
        error="The receiver answered 503.", response_body="busy",
    )  # fmt: skip
    Attempt.objects.create(
        delivery=delivery, number=2, at=now, duration_ms=12, response_status=200,
        response_body='{"ok": true}',
    )  # fmt: skip
    return delivery
