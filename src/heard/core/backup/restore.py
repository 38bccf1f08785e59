"""`heard restore`: an archive back into an empty database and data folder, whole or not at all.

Everything is checked before anything changes: the archive's checksums, the kind of database,
the migrations (none newer than this code), the dump itself, and that the database and the
folder of stored files are empty. The stored files are then moved into place (one rename of
their folder) and the database loaded in one step (one rename on SQLite, one transaction on
PostgreSQL); if loading fails, the files go back out. Migrations newer than the archive are
applied last.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from heard.core.backup.archive import MEDIA, Manifest, unpack_archive
from heard.core.backup.files import BackupError
from heard.core.backup.vendors import VENDORS, Vendor, vendor_for
from heard.core.database import pending_migrations
from heard.core.private import private_folder


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    applied: list[str]  # migrations applied after loading: newer than the archive


def known_migrations() -> set[str]:
    """Every migration this code has, and every one its squashed migrations replace."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    for migration in loader.disk_migrations.values():
        known |= {f"{app}.{name}" for app, name in migration.replaces}
    return known


def _check_empty(vendor: Vendor, media_root: Path) -> None:
    tables = vendor.tables()
    if tables:
        raise BackupError(
            f"A restore never replaces data, and {vendor.describe()} is not empty "
            f"({len(tables)} tables). {vendor.empty_target_hint()}"
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"A restore never replaces files, and the folder of stored files, {media_root}, "
            f"is not empty. {vendor.empty_target_hint()}"
        )


def _check_manifest(manifest: Manifest, vendor: Vendor) -> None:
    if manifest.vendor != vendor.name:
        theirs = VENDORS[manifest.vendor].label if manifest.vendor in VENDORS else manifest.vendor
        raise BackupError(
            f"The archive holds a {theirs} database; this Heard uses {vendor.label}. "
            f"Restore it into a Heard on {theirs} (DATABASE_URL)."
        )
    unknown = [name for name in manifest.migrations if name not in known_migrations()]
    if unknown:
        raise BackupError(
            f"The archive comes from a newer Heard ({manifest.heard_version}): its database has "
            f"{len(unknown)} migration(s) this version does not know (first: {unknown[0]}). "
            "Install that version of Heard or a newer one, then restore again."
        )


def restore_backup(
    archive: Path, *, using: str = DEFAULT_DB_ALIAS, media_root: Path | None = None
) -> Restored:
    vendor = vendor_for(connections[using])
    media_root = Path(settings.MEDIA_ROOT) if media_root is None else media_root
    _check_empty(vendor, media_root)  # before the work of unpacking
    private_folder(media_root.parent)
    staging = Path(tempfile.mkdtemp(prefix=".heard-restore-", dir=media_root.parent))
    try:
        manifest = unpack_archive(archive, staging, vendor.member, vendor.label)
        _check_manifest(manifest, vendor)
        dump = staging / vendor.member
        vendor.check(dump)
        _check_empty(vendor, media_root)
        staged_files = staging / MEDIA
        moved = staged_files.is_dir()
        if moved:
            if media_root.exists():
                media_root.rmdir()  # empty, as checked
            os.rename(staged_files, media_root)
        try:
            vendor.load(dump)
        except BaseException:
            if moved:
                os.rename(media_root, staged_files)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    applied = pending_migrations(using)
    if applied:
        call_command("migrate", database=using, interactive=False, verbosity=0)
    return Restored(manifest, applied)
