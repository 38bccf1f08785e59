from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from heard.accounts.services import needs_first_run
from heard.core.backup.vendors.sqlite import backup_sqlite
from heard.core.busy import is_busy
from heard.core.database import pending_migrations
from heard.core.private import tighten_tree
from heard.core.worker import start_in_process_worker

# How long start-up waits for a SQLite file another program holds locked (a backup, the
# sqlite3 shell) before it gives up with a message.
LOCKED_AT_START_SECONDS = 120


class Command(BaseCommand):
    help = (
        "Start Heard's web server. On SQLite it first backs up the database file and applies "
        "migrations; on PostgreSQL it refuses to start until `heard migrate` has run."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        env = settings.ENV
        parser.add_argument(
            "--host", default=env["HEARD_HOST"], help="Address to bind (HEARD_HOST)."
        )
        parser.add_argument(
            "--port", type=int, default=env["HEARD_PORT"], help="Port (HEARD_PORT)."
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=env["HEARD_WEB_PROCESSES"],
            help="Web server processes (HEARD_WEB_PROCESSES).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run background tasks in this process, whatever HEARD_INPROCESS_WORKER says.",
        )

    def prepare_sqlite(self) -> None:
        database = Path(settings.DATABASES["default"]["NAME"])
        backup = backup_sqlite(database, settings.HEARD_BACKUP_DIR)
        if backup:
            self.stdout.write(f"Backed up the database to {backup}")
        call_command("migrate", interactive=False, verbosity=0)

    def prepare_sqlite_when_free(self) -> None:
        """Back up and migrate, waiting (a while) for a database another program holds
        locked, instead of stopping at once: a restart during a long write is not a crash."""
        deadline = time.monotonic() + LOCKED_AT_START_SECONDS
        while True:
            try:
                self.prepare_sqlite()
                return
            except OperationalError as error:
                if not is_busy(error):
                    raise
                if time.monotonic() > deadline:
                    raise CommandError(
                        f"The database stayed locked for {LOCKED_AT_START_SECONDS} s ({error}): "
                        "another program is writing to it. Start Heard again once it is done."
                    ) from None
                self.stderr.write("The database is locked by another program; waiting for it.")
                time.sleep(1)

    def prepare_database(self) -> None:
        if settings.IS_SQLITE:
            self.prepare_sqlite_when_free()
            return
        pending = pending_migrations()
        if pending:
            raise CommandError(
                f"The database has {len(pending)} unapplied migration(s) "
                f"(first: {pending[0]}). Run `heard migrate`, then start again."
            )

    def handle(self, *args: Any, **options: Any) -> None:
        # What an earlier version left readable by others (the database, its backups) is not.
        tighten_tree(settings.DATA_DIR)
        self.prepare_database()
        host, port = options["host"], options["port"]
        if needs_first_run():
            self.stdout.write(
                f"No account yet: open http://{host}:{port}/setup/ to create the owner."
            )
        if settings.HEARD_INPROCESS_WORKER and not options["no_worker"]:
            start_in_process_worker()
        self.stdout.write(f"Heard is running at http://{host}:{port}/ (Ctrl+C stops it)")
        uvicorn.run(
            "heard.asgi:application",
            host=host,
            port=port,
            workers=options["processes"],
            log_level=settings.ENV["HEARD_LOG_LEVEL"].lower(),
            # Forwarded headers are read by Heard's ASGI edge (heard/core/proxy.py), from
            # the trusted proxies only.
            proxy_headers=False,
            lifespan="off",
            # Long polls of the live screens would otherwise hold a restart for 25 s.
            timeout_graceful_shutdown=3,
        )
