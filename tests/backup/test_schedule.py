"""Scheduled backups: due an interval after the newest archive, one at a time across processes,
and only the newest few kept."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings

from heard.core.backup.files import folder_lock
from heard.core.backup.schedule import run_scheduled_backup, start_backup_schedule
from tests.support.server import database_url

# Committed data, as a real backup reads it; the tests write none.
pytestmark = pytest.mark.django_db(transaction=True)

DAY = timedelta(hours=24)


def old_archive(folder: Path, stamp: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"heard-backup-{stamp}.tar.gz").write_bytes(b"an older archive")


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.startswith("."))


def test_retention_keeps_the_newest_archives_and_nothing_else_goes(tmp_path):
    folder = tmp_path / "backups"
    for day in range(1, 6):
        old_archive(folder, f"202701{day:02d}-030000")
    (folder / "notes.txt").write_text("the operator's")
    (folder / "heard-20270101-030000-000000.sqlite3").write_bytes(b"a copy before migrating")

    backup = run_scheduled_backup(
        folder=folder, interval=DAY, keep=3, now=datetime(2027, 1, 7, 3, tzinfo=UTC)
    )

    assert backup is not None
    assert names(folder) == [
        "heard-20270101-030000-000000.sqlite3",
        "heard-backup-20270104-030000.tar.gz",
        "heard-backup-20270105-030000.tar.gz",
        "heard-backup-20270107-030000.tar.gz",
        "notes.txt",
    ]


def test_the_next_backup_is_due_an_interval_after_the_newest_archive(tmp_path):
    folder = tmp_path / "backups"
    old_archive(folder, "20270105-030000")  # made before a restart: the folder remembers it
    early = datetime(2027, 1, 6, 2, 59, tzinfo=UTC)
    assert run_scheduled_backup(folder=folder, interval=DAY, keep=7, now=early) is None
    on_time = datetime(2027, 1, 6, 3, 0, tzinfo=UTC)
    assert run_scheduled_backup(folder=folder, interval=DAY, keep=7, now=on_time) is not None
    assert len(names(folder)) == 2


def test_a_run_leaves_it_to_the_one_under_way(tmp_path):
    folder = tmp_path / "backups"
    with folder_lock(folder, wait=True):
        assert run_scheduled_backup(folder=folder, interval=DAY, keep=7) is None
    assert names(folder) == []


SCHEDULED_RUN = """
import sys, time
import django
django.setup()
from heard.core.backup.schedule import run_scheduled_backup
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
print("made" if run_scheduled_backup() else "skipped")
"""


def test_two_workers_at_the_same_moment_make_one_archive(tmp_path):
    folder = tmp_path / "backups"
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env |= {
        "DJANGO_SETTINGS_MODULE": "heard.settings",
        "DATABASE_URL": database_url(),
        "HEARD_DATA_DIR": str(tmp_path / "data"),
        "HEARD_BACKUP_DIR": str(folder),
        "HEARD_LOG_LEVEL": "WARNING",
    }
    start_at = str(time.time() + 4)  # both have started Django by then
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", SCHEDULED_RUN, start_at],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = []
    for worker in workers:
        stdout, stderr = worker.communicate(timeout=60)
        assert worker.returncode == 0, stderr
        outcomes.append(stdout.strip())
    assert sorted(outcomes) == ["made", "skipped"]
    assert len([name for name in names(folder) if name.endswith(".tar.gz")]) == 1


@override_settings(HEARD_BACKUP_INTERVAL_HOURS=0)
def test_an_interval_of_zero_turns_the_schedule_off():
    assert start_backup_schedule() is None
