"""Databases of a test's own beside the test database: an empty PostgreSQL database, and a
Django alias for any database a test made (to migrate, restore into, read back)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

POSTGRES = "postgresql://postgres@127.0.0.1:5432"


@contextmanager
def empty_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the local PostgreSQL server, dropped afterwards; its name."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL must run on 127.0.0.1:5432 for this test: {error}")
    try:
        yield name
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


@contextmanager
def database_alias(vendor: str, name: str) -> Iterator[BaseDatabaseWrapper]:
    """A connection alias to another database (a SQLite file's path, or a PostgreSQL database's
    name on the local server), set up as Heard sets up its own; removed afterwards."""
    base: dict[str, Any]
    if vendor == connections["default"].vendor:
        base = copy.deepcopy(connections["default"].settings_dict)
    else:
        base = copy.deepcopy(connections["default"].settings_dict) | _settings_of(vendor)
    base["OPTIONS"] = {k: v for k, v in base.get("OPTIONS", {}).items() if k != "pool"}
    base["NAME"] = name
    if vendor == "postgresql":
        base |= {"HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres", "PASSWORD": ""}
    alias = f"other_{uuid.uuid4().hex[:8]}"
    connections.settings[alias] = base
    try:
        yield connections[alias]
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _settings_of(vendor: str) -> dict[str, Any]:
    if vendor == "sqlite":
        return {
            "ENGINE": "heard.core.sqlite",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    return {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}}


def table_rows(connection: BaseDatabaseWrapper) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the database holds (as its introspection lists them), sorted."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows
