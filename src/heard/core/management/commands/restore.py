from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.core.backup.files import BackupError
from heard.core.backup.restore import restore_backup
from heard.core.backup.vendors import VENDORS


class Command(BaseCommand):
    help = (
        "Restore an archive of `heard backup` into an empty database and data folder; it "
        "never replaces data. A damaged archive, or one of another kind of database or of a "
        "newer Heard, is refused and nothing changes. Migrations newer than the archive are "
        "applied afterwards."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive `heard backup` wrote.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            restored = restore_backup(archive.expanduser())
        except BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from None
        manifest = restored.manifest
        files = len(manifest.files)
        self.stdout.write(
            f"Restored the {VENDORS[manifest.vendor].label} database and {files} stored "
            f"file{'' if files == 1 else 's'} from {archive}, made by Heard "
            f"{manifest.heard_version} on {manifest.created:%Y-%m-%d %H:%M} UTC."
        )
        if restored.applied:
            self.stdout.write(
                f"Applied {len(restored.applied)} migration(s) newer than the archive: "
                + ", ".join(restored.applied)
            )
        else:
            self.stdout.write("The database's migrations are those of this version of Heard.")
