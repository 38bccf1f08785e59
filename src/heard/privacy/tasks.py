"""Background work of privacy: applying the workspaces' retention policies every hour."""

from __future__ import annotations

import datetime
from typing import Any

from django.tasks import task
from django.utils import timezone

from heard.core.worker import queue_once
from heard.privacy import retention

EVERY = datetime.timedelta(hours=1)


@task
def apply_retention() -> dict[str, int]:
    """Apply every policy, then come back in an hour."""
    applied = retention.apply_all()
    schedule(timezone.now() + EVERY)
    return applied


def schedule(when: datetime.datetime) -> None:
    """Queue the next run at `when`, unless one is queued already."""
    queue_once(apply_retention, when)


def on_worker_starting(**_: Any) -> None:
    schedule(timezone.now())
