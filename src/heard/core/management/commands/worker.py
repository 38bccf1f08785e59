from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from heard.core.backup.schedule import start_backup_schedule
from heard.core.worker import Worker


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
        """django-tasks-db's command, with Heard's worker (which outlasts a locked database);
        without --reload, which is for developing the tasks."""
        self.configure_logging(options["verbosity"])
        excluded = options["exclude_queues"]
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded.split(",") if excluded else [],
        )
        worker.configure_signals()
        if not options["batch"]:
            start_backup_schedule()
        worker.run()
