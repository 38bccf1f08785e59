"""Database housekeeping for `heard serve`: SQLite backups and the migration check."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from heard.core.private import private_folder

KEEP_BACKUPS = 10


def pending_migrations() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _has_data(connection: sqlite3.Connection) -> bool:
    """A database Heard has migrated at least once (a fresh, empty file needs no backup)."""
    row = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
    ).fetchone()
    return bool(row[0])


def backup_sqlite(database: Path, folder: Path) -> Path | None:
    """Copy the SQLite file with SQLite's own online backup; keep the newest few copies."""
    if not database.exists() or database.stat().st_size == 0:
        return None
    source = sqlite3.connect(database)
    try:
        if not _has_data(source):
            return None
        private_folder(folder)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"heard-{stamp}.sqlite3"
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    for old in sorted(folder.glob("heard-*.sqlite3"))[:-KEEP_BACKUPS]:
        old.unlink()
    return target
