"""What the benchmarks share: a fresh database for each run, the environment of a process on it,
and running a step in such a process, which reports its figures on a line "RESULT {json}"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Any

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


def run_step(script: str, args: list[str], env: dict[str, str]) -> Any:
    """Run `script` with `args` in a fresh process; return the figures of its RESULT line."""
    output = subprocess.run(
        [sys.executable, script, *args], env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))
