from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from heard.core.backup.schedule import start_backup_schedule


class Command(DatabaseWorkerCommand):
    help = (
        "Run Heard's queued background tasks, and the scheduled backups "
        "(HEARD_BACKUP_INTERVAL_HOURS), until stopped. Start one or more on a team server; on "
        "a laptop `heard serve` runs tasks and backups itself."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["batch"]:
            start_backup_schedule()
        super().handle(*args, **options)
