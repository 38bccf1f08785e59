"""Another program holding the database's write lock, and a short wait for it.

`write_lock_held` takes the lock from a connection of its own, as the sqlite3 shell, a backup
or another server would: on SQLite the file's write lock (`BEGIN IMMEDIATE`), on PostgreSQL the
tables' (`LOCK TABLE … IN EXCLUSIVE MODE`: others still read, nobody else writes).
`busy_timeout` makes Heard's wait for a lock short (HEARD_DB_BUSY_TIMEOUT sets it in real use).
The test must use committed data (`django_db(transaction=True)`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection
from django.db.models import Model

from tests.support.server import database_url


@contextmanager
def write_lock_held(*models: type[Model]) -> Iterator[None]:
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            yield
            other.execute("ROLLBACK")
        finally:
            other.close()
        return
    with psycopg.connect(database_url()) as other:
        tables = ", ".join(f'"{model._meta.db_table}"' for model in models)
        other.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        yield
        other.rollback()


@contextmanager
def busy_timeout(seconds: float) -> Iterator[None]:
    """Heard's connections opened from now on wait `seconds` for a lock, then give up."""
    options = connection.settings_dict["OPTIONS"]
    saved = dict(options)

    def reconnect() -> None:
        connection.close()
        if connection.vendor == "postgresql":
            connection.close_pool()

    if connection.vendor == "sqlite":
        options["timeout"] = seconds
    else:
        options["options"] = f"-c lock_timeout={int(seconds * 1000)}"
    reconnect()
    try:
        yield
    finally:
        options.clear()
        options.update(saved)
        reconnect()
