from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from heard.accounts.services import needs_first_run
from heard.core.backup.vendors.sqlite import backup_sqlite
from heard.core.database import pending_migrations
from heard.core.private import tighten_tree
from heard.core.worker import start_in_process_worker


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

    def prepare_database(self) -> None:
        if settings.IS_SQLITE:
            database = Path(settings.DATABASES["default"]["NAME"])
            backup = backup_sqlite(database, settings.HEARD_BACKUP_DIR)
            if backup:
                self.stdout.write(f"Backed up the database to {backup}")
            call_command("migrate", interactive=False, verbosity=0)
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
