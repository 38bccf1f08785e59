"""The backup tests' shared fixture: the demo workspace and stored files, backed up once."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection

from heard.core.backup.create import write_backup
from heard.demo.builder import build_demo_workspace
from tests.support.databases import (
    database_alias,
    empty_postgres_database,
    table_rows,
)


@dataclass(frozen=True)
class DemoBackup:
    archive: Path
    rows: dict[str, list[tuple[Any, ...]]]  # what the database held when it was backed up
    files: dict[str, bytes]  # the stored files, by their path in the media folder


def stored_files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def store_files(root: Path) -> None:
    """Files as Django's storage keeps them: in folders, with any name, empty or large."""
    storage = FileSystemStorage(location=root)
    storage.save(
        "imports/participants.csv", ContentFile(b"name,email\nZo\xc3\xab,zoe@example.org\n")
    )
    storage.save(
        "recordings/2027/01/interview 12, Zoë Łukasiewicz.webm", ContentFile(os.urandom(3 << 20))
    )
    storage.save("recordings/2027/01/empty.txt", ContentFile(b""))


@pytest.fixture(scope="package")
def demo_backup(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> DemoBackup:
    """The demo workspace (committed, as a real backup reads it) and stored files, backed up;
    the test database is emptied again before any test runs."""
    media = tmp_path_factory.mktemp("media")
    store_files(media)
    with django_db_blocker.unblock():
        try:
            build_demo_workspace()
            rows = table_rows(connection)
            backup = write_backup(tmp_path_factory.mktemp("archives"), media_root=media)
        finally:
            call_command("flush", interactive=False, verbosity=0)
    files = stored_files(media)
    shutil.rmtree(media)
    return DemoBackup(backup.path, rows, files)


@dataclass(frozen=True)
class Target:
    """An empty database and data folder to restore into."""

    alias: str
    media: Path


@pytest.fixture
def empty_target(django_db_blocker: Any, tmp_path: Path) -> Iterator[Target]:
    """An empty database of the suite's kind (a new SQLite file, or a new PostgreSQL
    database) and an empty data folder."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            with database_alias("sqlite", str(tmp_path / "data" / "heard.sqlite3")) as target:
                yield Target(target.alias, tmp_path / "data" / "media")
        else:
            with (
                empty_postgres_database("heard_restore") as name,
                database_alias("postgresql", name) as target,
            ):
                yield Target(target.alias, tmp_path / "data" / "media")
