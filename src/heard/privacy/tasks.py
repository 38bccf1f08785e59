"""Background work of privacy: applying the workspaces' retention policies every hour."""

from __future__ import annotations

import datetime
from typing import Any

from django.tasks import task
from django.utils import timezone

from heard.privacy import retention

EVERY = datetime.timedelta(hours=1)


@task
def apply_retention() -> dict[str, int]:
    """Apply every policy, then come back in an hour."""
    applied = retention.apply_all()
    schedule(timezone.now() + EVERY)
    return applied


def schedule(when: datetime.datetime) -> None:
    """Queue the next run at `when`, unless one is queued already (several workers, or a
    restart, queue one run, not one each). A backend that runs tasks at once (the tests')
    is not asked to run one later."""
    from django_tasks_db.models import DBTaskResult

    if not apply_retention.get_backend().supports_defer:
        return
    path = apply_retention.module_path
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return
    apply_retention.using(run_after=when).enqueue()


def on_worker_starting(**_: Any) -> None:
    schedule(timezone.now())
