"""Background work of the matrix: making a large study's XLSX file, and deleting made files
past their time every hour."""

from __future__ import annotations

import datetime
from typing import Any

from django.tasks import task
from django.utils import timezone

from heard.core.worker import queue_once
from heard.synthesis.matrix import exports

PURGE_EVERY = datetime.timedelta(hours=1)


@task
def make_matrix_export(export_id: int) -> str:
    return exports.run(export_id)


@task
def purge_exports() -> int:
    """Delete the files kept past their time, then come back in an hour."""
    purged = exports.purge_expired()
    queue_once(purge_exports, timezone.now() + PURGE_EVERY)
    return purged


def on_worker_starting(**_: Any) -> None:
    """As a worker starts: the exports a killed worker left go back on the queue, and the
    purge runs now unless one is queued already."""
    exports.requeue()
    queue_once(purge_exports, timezone.now())
