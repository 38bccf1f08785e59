"""A real `heard serve` (uvicorn, ASGI) in a subprocess, on the test database.

For tests that must stop and start the server, or that need the production server rather
than Django's threaded test server. The test must use committed data
(`django_db(transaction=True)`), since the server reads it through its own connections.
The `heard_server` fixture (`tests.support.fixtures.server`) starts one for a test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import connection


def free_port() -> int:
    """A loopback port nothing listens on (for a moment: good enough for a test)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    """The URL of the test database this process uses right now."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class HeardServer:
    """`heard serve` on a free port, with the test's database and data folder; `start()` returns
    once it answers, `stop()` ends it (and may be followed by another `start()`)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        # What the server prints goes to a file, never a pipe nobody reads: a pipe's buffer
        # fills with a busy server's log lines and then stops the server mid-request.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open while it runs
            mode="w+", prefix="heard-serve-", suffix=".log"
        )
        self.env = dict(os.environ)
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.env |= {
            "DATABASE_URL": database_url(),
            "HEARD_DATA_DIR": str(settings.DATA_DIR),
            "HEARD_SECRET_KEY": settings.SECRET_KEY,
            "HEARD_INPROCESS_WORKER": "false",
            "HEARD_LOG_LEVEL": "WARNING",
        }

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "heard.cli", "serve", "--port", str(self.port), "--no-worker"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"heard serve stopped: {self.output()}")
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("heard serve did not answer within 60 s")

    def output(self) -> str:
        """What the server has printed so far."""
        self.log.flush()
        with open(self.log.name, encoding="utf-8", errors="replace") as printed:
            return printed.read()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
