"""`heard worker` runs what was queued in the database."""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.support import factories
from tests.support.tasks import rename_study

# The worker closes connections between tasks, as it must: the data has to be committed.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DATABASE_TASKS)
def test_worker_runs_queued_tasks(team):
    study = factories.study(team.workspace, title="Before")
    result = rename_study.enqueue(study.pk, "After")
    study.refresh_from_db()
    assert study.title == "Before"  # queued, not run in the request
    call_command("worker", "--batch", verbosity=0)
    study.refresh_from_db()
    assert study.title == "After"
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "SUCCESSFUL"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
@override_settings(TASKS=DATABASE_TASKS)
def test_worker_outlasts_a_database_locked_past_the_busy_timeout(team, caplog):
    """Another program holds SQLite's write lock longer than the worker's busy timeout: the
    worker used to stop with "database is locked" (and no mail went out until someone started
    it again); it waits and runs the task once the lock is gone."""
    study = factories.study(team.workspace, title="Before")
    rename_study.enqueue(study.pk, "After")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout=50")  # the worker's connection gives up at once
    holder = sqlite3.connect(
        connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, holder.execute, ["ROLLBACK"])
    release.start()
    try:
        with caplog.at_level(logging.WARNING, logger="heard.core.worker"):
            call_command("worker", "--batch", "--interval", "0.1", verbosity=0)
    finally:
        release.join()
        holder.close()
    assert "stayed locked" in caplog.text
    study.refresh_from_db()
    assert study.title == "After"
