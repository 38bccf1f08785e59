"""What the benchmarks share: a fresh database for each run, the environment of a process on it,
and running a step in such a process, which reports its figures on a line "RESULT {json}";
signed-in sessions made in the database; a real `heard serve` and `heard worker`, each in its
own process group so that all of its processes stop (or are killed) together."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ")
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def postgres(statement: str) -> None:
    """Run one statement on the server's maintenance database (creating or dropping one)."""
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(statement)


def fresh_env(db: str, postgres_db: str) -> dict[str, str]:
    """The environment of a Heard process on a fresh database: an empty data folder (so a new
    SQLite file) or, for PostgreSQL, the database `postgres_db` dropped and created anew."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "heard.settings"
    env["HEARD_DATA_DIR"] = tempfile.mkdtemp(prefix=f"heard-bench-{db}-")
    env["HEARD_INPROCESS_WORKER"] = "false"
    env["HEARD_LOG_LEVEL"] = "ERROR"
    env["HEARD_ALLOWED_HOSTS"] = "testserver"
    env.pop("DATABASE_URL", None)
    if db == "postgresql":
        postgres(f"DROP DATABASE IF EXISTS {postgres_db} WITH (FORCE)")
        postgres(f"CREATE DATABASE {postgres_db}")
        env["DATABASE_URL"] = postgres_url(postgres_db)
    return env


@contextlib.contextmanager
def fresh_database(db: str, postgres_db: str, **settings: str) -> Iterator[dict[str, str]]:
    """The environment of `fresh_env`, with `settings` besides; its data folder (and, for
    PostgreSQL, its database) removed when the block ends, however it ends."""
    env = fresh_env(db, postgres_db) | settings
    try:
        yield env
    finally:
        shutil.rmtree(env["HEARD_DATA_DIR"], ignore_errors=True)
        if db == "postgresql":
            postgres(f"DROP DATABASE IF EXISTS {postgres_db} WITH (FORCE)")


def run_step(script: str, args: list[str], env: dict[str, str]) -> Any:
    """Run `script` with `args` in a fresh process; return the figures of its RESULT line."""
    output = subprocess.run(
        [sys.executable, script, *args], env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no {field} in /proc/self/status")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM), in MB."""
    return _status_mb("VmHWM")


def rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    return _status_mb("VmRSS")


def reset_peak() -> None:
    """Start this process's peak resident memory again from what it holds now (Linux 4.0+)."""
    Path("/proc/self/clear_refs").write_text("5")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl+C, so that `finally` stops the server and removes data."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def signed_in(user: Any) -> dict[str, Any]:
    """A session in the database for `user` (as signing in makes) and a CSRF secret: what a
    client sends as cookies. Call with Django set up."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return {"user": user.pk, "session": session.session_key, "csrf": csrf}


def client_headers(base: str, person: dict[str, Any]) -> dict[str, str]:
    """The headers of a browser signed in as `person` (from `signed_in`), for any POST too."""
    return {
        "Cookie": f"sessionid={person['session']}; csrftoken={person['csrf']}",
        "X-CSRFToken": person["csrf"],
        "Referer": base + "/",
    }


def cpu_ticks_of_group(pgid: int) -> int:
    """utime + stime (clock ticks) of every live process of a process group."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:  # fields[0] is the state; pgrp is the 5th field of stat
            total += int(fields[11]) + int(fields[12])
    return total


class Group:
    """A Heard command in its own process group, so that all its processes stop (or are killed)
    together; its output goes to a log that each start appends to."""

    name = "heard"

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def spawn(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "heard.cli", *self.command()],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        self.spawn()

    def kill(self) -> None:
        """SIGKILL to every process of the group, as a crash or an OOM killer would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # Workers that outlived their supervisor.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def log_lines(self) -> list[str]:
        try:
            return self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []

    def log_summary(self, lines_during_load: int) -> dict[str, Any]:
        """Tracebacks and their causes; those after `lines_during_load` came at shutdown."""
        lines = self.log_lines()

        def summary(part: list[str]) -> dict[str, Any]:
            causes = Counter(
                re.sub(r"\d+", "N", STAMP.sub("", line.strip()))[:160]
                for line in part
                if line
                and not line.startswith((" ", "Traceback", "\t"))
                and ("Error" in line or "Exception" in line)
            )
            return {
                "tracebacks": sum(1 for line in part if line.startswith("Traceback")),
                "samples": [f"{count}x {text}" for text, count in causes.most_common(6)],
            }

        return {
            "load": summary(lines[:lines_during_load]),
            "end": summary(lines[lines_during_load:]),
        }


class Server(Group):
    """`heard serve` on loopback; `start` returns once it answers."""

    name = "heard serve"

    def __init__(self, env: dict[str, str], processes: int, log_path: Path) -> None:
        super().__init__(env, log_path)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes = processes

    def command(self) -> list[str]:
        return [
            "serve",
            "--port",
            str(self.port),
            "--no-worker",
            "--processes",
            str(self.processes),
        ]

    def start(self) -> None:
        self.spawn()
        assert self.process is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"heard serve stopped:\n{self.log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("heard serve did not answer within 60 s")

    def cpu_ticks(self) -> int:
        return cpu_ticks_of_group(self.process.pid) if self.process else 0


class Worker(Group):
    """`heard worker`: runs the queued background tasks."""

    name = "heard worker"

    def command(self) -> list[str]:
        return ["worker", "--interval", "0.2"]


def time_page(
    browser: Any, url: str, name: str, *, warmup: int = 3, requests: int = 30
) -> dict[str, float]:
    """The server time of GET `url` with a Django test client, after `warmup` requests: p50
    and p95 in ms and the page's size, as `<name>_p50_ms`, `<name>_p95_ms`, `<name>_kb`."""
    import statistics
    import time

    for _ in range(warmup):
        assert browser.get(url).status_code == 200, url
    times = []
    size = 0
    for _ in range(requests):
        started = time.perf_counter()
        response = browser.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        size = len(response.content)
    times.sort()
    return {
        f"{name}_p50_ms": round(statistics.median(times), 1),
        f"{name}_p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        f"{name}_kb": round(size / 1024),
    }
