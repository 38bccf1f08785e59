from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.core.backup.create import create_backup
from heard.core.backup.files import BackupError
from heard.core.backup.vendors import VENDORS
from heard.core.storage import on_disk


class Command(BaseCommand):
    help = (
        "Write the database and the stored files into one archive (.tar.gz), with a manifest "
        "of checksums. Without -o it goes into the backup folder (HEARD_BACKUP_DIR). On "
        "PostgreSQL it needs pg_dump, of the server's major version or newer."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="The archive's file (it must not exist yet), e.g. heard-2027-01-15.tar.gz.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup = create_backup(options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = backup.manifest
        files = len(manifest.files)
        if not on_disk():
            self.stdout.write(
                f"Backed up the {VENDORS[manifest.vendor].label} database to {backup.path} "
                f"({backup.size:,} bytes). The stored files (recordings) live in the object "
                "store of HEARD_STORAGE_URL and are not in the archive: back them up there "
                "(the store's versioning or its own backups)."
            )
            return
        self.stdout.write(
            f"Backed up the {VENDORS[manifest.vendor].label} database and {files} stored "
            f"file{'' if files == 1 else 's'} to {backup.path} ({backup.size:,} bytes)."
        )
