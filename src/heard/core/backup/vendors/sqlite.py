"""SQLite: SQLite's online backup API copies the live file; restoring puts the copy in its place."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from heard.core.backup.files import BackupError
from heard.core.backup.vendors.base import Dump, Vendor
from heard.core.private import private_file, private_folder
from heard.core.sqlite.base import writer_queue

# Copies of the file that `heard serve` takes before it migrates.
KEEP_COPIES = 10


def migrated(database: Path) -> bool:
    """A database Heard has migrated at least once (a fresh, empty file holds nothing)."""
    if not database.exists() or database.stat().st_size == 0:
        return False
    with closing(sqlite3.connect(database)) as connection:
        row = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone()
    return bool(row[0])


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a live database with SQLite's online backup API into `target`, a file already made
    private, as one whole file: its journal mode is set back to a rollback journal, so that no
    write-ahead log needs to travel beside it (Heard turns WAL on again when it opens the file)."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")


def backup_sqlite(database: Path, folder: Path) -> Path | None:
    """A copy of the database file before `heard serve` migrates it; the newest few are kept."""
    if not migrated(database):
        return None
    private_folder(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"heard-{stamp}.sqlite3"
    os.close(private_file(target))
    copy_sqlite(database, target)
    for old in sorted(folder.glob("heard-*.sqlite3"))[:-KEEP_COPIES]:
        old.unlink()
    return target


class SQLite(Vendor):
    name = "sqlite"
    label = "SQLite"
    member = "database/heard.sqlite3"

    @property
    def path(self) -> Path:
        return Path(self.connection.settings_dict["NAME"])

    def describe(self) -> str:
        return f"the SQLite database {self.path}"

    def empty_target_hint(self) -> str:
        return (
            "Restore into a new data folder: set HEARD_DATA_DIR to an empty folder (or move "
            "this one aside) and run `heard restore` again."
        )

    def dump(self, target: Path) -> Dump:
        if not migrated(self.path):
            raise BackupError(
                f"There is nothing to back up: {self.describe()} holds no data yet "
                "(run `heard serve` or `heard migrate` first)."
            )
        copy_sqlite(self.path, target)
        with closing(sqlite3.connect(target)) as copy:
            rows = copy.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
        return Dump([f"{app}.{name}" for app, name in rows], {"sqlite": sqlite3.sqlite_version})

    def check(self, dump: Path) -> None:
        try:
            with closing(sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)) as copy:
                verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            verdict = str(error)
        if verdict != "ok":
            raise BackupError(f"The database in the archive is damaged ({verdict}).")

    def tables(self) -> list[str]:
        if not self.path.exists():  # not even created: empty (and left uncreated)
            return []
        with closing(sqlite3.connect(self.path)) as connection:
            rows = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        return [name for (name,) in rows]

    def load(self, dump: Path) -> None:
        self.connection.close()
        target = self.path
        private_folder(target.parent)
        staged = target.with_name(target.name + ".restoring")
        shutil.move(dump, staged)  # beside the database, so that the last step is one rename
        queue = writer_queue(str(target))  # no Heard process writes meanwhile
        queue.acquire(timeout=30)
        try:
            if self.tables():
                raise BackupError(f"Nothing was replaced: {self.describe()} is no longer empty.")
            for suffix in ("-wal", "-shm", "-journal"):  # an empty database's, if any
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            os.replace(staged, target)
        finally:
            queue.release()
            staged.unlink(missing_ok=True)
