"""Background tasks: the worker that `heard worker` runs, and the in-process worker thread that
`heard serve` runs on a laptop, each with the thread of scheduled backups."""

from __future__ import annotations

import datetime
import logging
import threading
import time
import uuid

from django.db import OperationalError, close_old_connections
from django.dispatch import Signal
from django.tasks import Task
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.utils import is_locked_database_exception

from heard.core.backup.schedule import start_backup_schedule

logger = logging.getLogger(__name__)

# Sent as a worker starts, and again after it waited out a locked database: the apps queue
# again the work whose task a killed worker had taken (django-tasks-db leaves such a task
# "running" for ever). Receivers take no arguments but the signal's.
worker_starting = Signal()


def queue_once(task: Task, when: datetime.datetime) -> None:
    """Queue `task` to run at `when`, unless a run of it is queued already: work that comes
    back on its own (each run queues the next), started as a worker starts, so several
    workers, or a restart, queue one run, not one each. A backend that runs tasks at once
    (the tests') is not asked to run one later."""
    from django_tasks_db.models import DBTaskResult

    if not task.get_backend().supports_defer:
        return
    if DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists():
        return
    task.using(run_after=when).enqueue()


class Worker(DatabaseWorker):
    """django-tasks-db's worker, which outlasts a locked database.

    Its loop waits out a locked SQLite only once inside the transaction that claims a task; on
    Heard's SQLite the lock is taken when that transaction begins, so a write lock held past
    the busy timeout (a backup, another program) stopped the worker for good, and with it every
    mail. Here it waits a moment and carries on. A task that was running stays as it was: a
    mail claims itself before it is sent, so it cannot go twice.
    """

    def run(self) -> None:
        while True:
            try:
                worker_starting.send(sender=type(self))
                super().run()
                return
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                logger.warning("The database stayed locked (%s): tasks wait a moment.", error)
            close_old_connections()
            if not self.running:
                return
            time.sleep(self.interval or 1)


def thread_worker(*, batch: bool = False) -> Worker:
    """A worker to run in a thread of this process (it sets no signal handlers): every queue,
    a second between looks; with `batch`, it stops once nothing is left to run."""
    return Worker(
        queue_names=["*"],
        interval=1,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"in-process-{uuid.uuid4().hex[:8]}",
        excluded_queue_names=[],
    )


def start_in_process_worker() -> Worker:
    worker = thread_worker()
    thread = threading.Thread(target=worker.run, name="heard-tasks", daemon=True)
    thread.start()
    start_backup_schedule()
    logger.info("Background tasks run in this process (HEARD_INPROCESS_WORKER).")
    return worker
