"""`heard backup`: the database and the stored files in one archive, private from the start."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

import heard
from heard.core import storage
from heard.core.backup.archive import Manifest, write_archive
from heard.core.backup.files import (
    BackupError,
    folder_lock,
    publish,
    temporary_path,
)
from heard.core.backup.vendors import vendor_for
from heard.core.private import private_file, private_folder

# heard-backup-20270115-030000.tar.gz; a second archive of the same second gets -2, -3, …
ARCHIVE_NAME = re.compile(r"^heard-backup-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: Manifest

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def archive_time(path: Path) -> tuple[datetime, int] | None:
    """When an archive named by Heard was made (and its number within that second)."""
    match = ARCHIVE_NAME.match(path.name)
    if not match:
        return None
    moment = datetime.strptime(match[1], STAMP).replace(tzinfo=UTC)
    return moment, int(match[2] or 1)


def archives_in(folder: Path) -> list[Path]:
    """The archives Heard named in `folder`, newest first."""
    if not folder.is_dir():
        return []
    named = [(when, path) for path in folder.iterdir() if (when := archive_time(path))]
    return [path for _, path in sorted(named, reverse=True)]


def write_backup(
    folder: Path,
    *,
    name: str | None = None,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    now: datetime | None = None,
) -> Backup:
    """Write an archive into `folder`, named `name` or by its time; never over another file.
    The stored files go in when they live in the data folder; an object store (with
    `HEARD_STORAGE_URL`) keeps its own backups, and the archive holds the database alone.

    The archive is written under a hidden temporary name and given its own once complete, so
    an archive that has its name is whole. Callers writing into the backup folder hold its
    lock (`create_backup` does).
    """
    now = now or datetime.now(UTC)
    if media_root is None and storage.on_disk():
        media_root = Path(settings.MEDIA_ROOT)
    if name is not None and (folder / name).exists():
        raise BackupError(f"{folder / name} exists already: name another file, or remove it.")
    private_folder(folder)
    vendor = vendor_for(connections[using])
    dump_path = temporary_path(folder, "dump")
    archive_path = temporary_path(folder, "archive")
    try:
        os.close(private_file(dump_path))
        dump = vendor.dump(dump_path)
        manifest = Manifest(
            heard_version=heard.__version__,
            created=now,
            vendor=vendor.name,
            database_member=vendor.member,
            migrations=tuple(dump.migrations),
            database=dump.details,
        )
        with os.fdopen(private_file(archive_path), "wb") as out:
            manifest = write_archive(out, manifest, dump_path, media_root)
            out.flush()
            os.fsync(out.fileno())
        final = _publish(archive_path, folder, name, now)
    finally:
        dump_path.unlink(missing_ok=True)
        archive_path.unlink(missing_ok=True)
    return Backup(final, manifest)


def _publish(archive: Path, folder: Path, name: str | None, now: datetime) -> Path:
    if name is not None:
        try:
            publish(archive, folder / name)
        except FileExistsError:
            raise BackupError(f"{folder / name} exists already: name another file.") from None
        return folder / name
    stamp = now.astimezone(UTC).strftime(STAMP)
    for number in range(1, 1000):
        final = folder / f"heard-backup-{stamp}{f'-{number}' if number > 1 else ''}.tar.gz"
        try:
            publish(archive, final)
            return final
        except FileExistsError:
            continue
    raise BackupError(f"{folder} has too many archives of {stamp}.")


def backup_folder() -> Path:
    return Path(settings.HEARD_BACKUP_DIR)


def create_backup(output: Path | None = None, *, using: str = DEFAULT_DB_ALIAS) -> Backup:
    """`heard backup`: into the backup folder (waiting for a scheduled backup that is under way
    there), or into `output`."""
    folder = backup_folder()
    if output is None:
        with folder_lock(folder, wait=True):
            return write_backup(folder, using=using)
    output = output.expanduser().absolute()
    if output.is_dir():
        raise BackupError(
            f"{output} is a folder: name the archive's file, e.g. {output}/heard.tar.gz"
        )
    if output.parent.resolve() == folder.resolve():
        with folder_lock(folder, wait=True):
            return write_backup(folder, name=output.name, using=using)
    return write_backup(output.parent, name=output.name, using=using)
