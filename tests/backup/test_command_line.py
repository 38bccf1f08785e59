"""`heard backup` and `heard restore` as an operator runs them, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from tests.backup.conftest import stored_files
from tests.support.databases import (
    database_alias,
    empty_postgres_database,
    postgres_url,
    table_rows,
)

HEARD = [sys.executable, "-m", "heard.cli"]
BUILD_DEMO = "from heard.demo.builder import build_demo_workspace; build_demo_workspace()"


@dataclass
class Place:
    """A data folder and its database, as `heard` finds them in its environment."""

    vendor: str
    data: Path
    database: str  # the SQLite file's path, or the PostgreSQL database's name
    env: dict[str, str]

    def heard(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*HEARD, *args], env=self.env, capture_output=True, text=True, timeout=120, check=False
        )

    def ok(self, *args: str) -> str:
        result = self.heard(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout


@pytest.fixture
def places(tmp_path: Path) -> Iterator[Any]:
    with ExitStack() as stack:

        def make(vendor: str, name: str) -> Place:
            env = dict(os.environ)
            for variable in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
                env.pop(variable, None)
            data = tmp_path / name
            env |= {"HEARD_DATA_DIR": str(data), "HEARD_LOG_LEVEL": "WARNING"}
            if vendor == "sqlite":
                return Place(vendor, data, str(data / "heard.sqlite3"), env)
            database = stack.enter_context(empty_postgres_database(f"heard_{name}"))
            return Place(vendor, data, database, env | {"DATABASE_URL": postgres_url(database)})

        yield make


def same_rows(first: Place, second: Place) -> None:
    with (
        database_alias(first.vendor, first.database) as one,
        database_alias(second.vendor, second.database) as other,
    ):
        rows = table_rows(one)
        assert rows["studies_study"]
        assert table_rows(other) == rows
    connections.close_all()


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_backup_then_restore_into_an_empty_place(places, vendor, django_db_blocker):
    source, target = places(vendor, "source"), places(vendor, "target")
    source.ok("migrate")
    source.ok("manage", "shell", "-c", BUILD_DEMO)
    (source.data / "media" / "imports").mkdir(parents=True)
    (source.data / "media" / "imports" / "people.csv").write_bytes(b"name\nZo\xc3\xab\n")

    said = source.ok("backup")
    archives = list((source.data / "backups").glob("heard-backup-*.tar.gz"))
    assert len(archives) == 1
    assert str(archives[0]) in said
    assert "and 1 stored file to" in said

    said = target.ok("restore", str(archives[0]))
    assert "Restored the" in said
    assert "migrations are those of this version" in said
    with django_db_blocker.unblock():
        same_rows(source, target)
    assert stored_files(target.data / "media") == stored_files(source.data / "media")

    again = target.heard("restore", str(archives[0]))
    assert again.returncode == 1
    assert "not empty" in again.stderr
    assert "Nothing was restored." in again.stderr

    over = source.heard("backup", "-o", str(archives[0]))  # never over a file
    assert over.returncode == 1
    assert "exists already" in over.stderr


def test_a_restore_applies_the_migrations_newer_than_the_archive(places):
    source, target = places("sqlite", "source"), places("sqlite", "target")
    nothing = source.heard("backup")
    assert nothing.returncode == 1
    assert "There is nothing to back up" in nothing.stderr
    source.ok("migrate")
    source.ok("manage", "migrate", "sessions", "zero")  # as if made before sessions existed
    source.ok("backup")
    archive = next((source.data / "backups").glob("heard-backup-*.tar.gz"))
    said = target.ok("restore", str(archive))
    assert "Applied 1 migration(s) newer than the archive: sessions.0001_initial" in said
    with closing(sqlite3.connect(target.database)) as database:
        applied = database.execute("SELECT count(*) FROM django_migrations WHERE app = 'sessions'")
        assert applied.fetchone()[0] == 1
