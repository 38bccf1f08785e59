"""Background tasks: the in-process worker thread that `heard serve` runs on a laptop, with the
thread of scheduled backups."""

from __future__ import annotations

import logging
import threading
import uuid

from django_tasks_db.management.commands.db_worker import Worker

from heard.core.backup.schedule import start_backup_schedule

logger = logging.getLogger(__name__)


def start_in_process_worker() -> Worker:
    worker = Worker(
        queue_names=["*"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"in-process-{uuid.uuid4().hex[:8]}",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, name="heard-tasks", daemon=True)
    thread.start()
    start_backup_schedule()
    logger.info("Background tasks run in this process (HEARD_INPROCESS_WORKER).")
    return worker
