"""Scheduled backups: the worker takes one when the newest archive is older than the interval.

Whether a backup is due is read from the archives in the backup folder, so a restart changes
nothing: the next one is due an interval after the newest archive there, whoever made it. A
run holds the backup folder's lock (a `flock`, let go by the kernel when its process ends), and
looks at the archives only once it holds it: two workers, or a worker and `heard backup`, never
write an archive at once, and the second finds the first's archive and has nothing to do.
After a backup, the newest `HEARD_BACKUP_KEEP` archives stay and older ones are deleted.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from heard.core.backup.create import Backup, archive_time, archives_in, backup_folder, write_backup
from heard.core.backup.files import BackupError, folder_lock

logger = logging.getLogger(__name__)

FIRST_CHECK_SECONDS = 60  # after start-up, so that restarts in a row do not each back up
CHECK_SECONDS = 60
RETRY_SECONDS = 3600  # after a failure (pg_dump missing, a full disk), before trying again


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives Heard named in `folder`; the deleted ones."""
    old = archives_in(folder)[keep:]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _remove_leftovers(folder: Path) -> None:
    """Temporary files of a backup whose process died (only ever looked at under the lock)."""
    for path in folder.glob(".heard-*.tmp"):
        path.unlink(missing_ok=True)


def is_due(folder: Path, interval: timedelta, now: datetime) -> bool:
    newest = archives_in(folder)
    if not newest:
        return True
    made = archive_time(newest[0])
    return made is None or now - made[0] >= interval


def run_scheduled_backup(
    *,
    folder: Path | None = None,
    interval: timedelta | None = None,
    keep: int | None = None,
    now: datetime | None = None,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
) -> Backup | None:
    """Take a backup if one is due and no one else is taking one; the archive made, if any."""
    folder = backup_folder() if folder is None else folder
    if interval is None:
        interval = timedelta(hours=settings.HEARD_BACKUP_INTERVAL_HOURS)
    keep = settings.HEARD_BACKUP_KEEP if keep is None else keep
    with folder_lock(folder, wait=False) as held:
        if not held:
            return None
        now = now or datetime.now(UTC)
        if not is_due(folder, interval, now):
            return None
        _remove_leftovers(folder)
        backup = write_backup(folder, using=using, media_root=media_root, now=now)
        for path in prune(folder, keep):
            logger.info("Deleted the old backup %s (HEARD_BACKUP_KEEP=%s).", path, keep)
    logger.info("Backed up to %s.", backup.path)
    return backup


class BackupSchedule(threading.Thread):
    """The worker's thread that looks every minute whether a backup is due."""

    def __init__(self) -> None:
        super().__init__(name="heard-backups", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        wait: float = FIRST_CHECK_SECONDS
        while not self.stopped.wait(wait):
            wait = CHECK_SECONDS
            try:
                run_scheduled_backup()
            except BackupError as error:
                logger.error("The scheduled backup failed: %s", error)
                wait = RETRY_SECONDS
            except Exception:
                logger.exception("The scheduled backup failed.")
                wait = RETRY_SECONDS
            finally:
                connections.close_all()

    def stop(self) -> None:
        self.stopped.set()


def start_backup_schedule() -> BackupSchedule | None:
    """Start the schedule's thread, unless HEARD_BACKUP_INTERVAL_HOURS is 0."""
    if settings.HEARD_BACKUP_INTERVAL_HOURS == 0:
        return None
    schedule = BackupSchedule()
    schedule.start()
    logger.info(
        "Backups every %s hours into %s (HEARD_BACKUP_INTERVAL_HOURS).",
        settings.HEARD_BACKUP_INTERVAL_HOURS,
        backup_folder(),
    )
    return schedule
