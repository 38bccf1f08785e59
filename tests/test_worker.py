"""`heard worker` runs what was queued in the database."""

from __future__ import annotations

import pytest
from django.core.management import call_command
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
