"""Background work of the webhooks: one attempt at a delivery, and the sweep every few
minutes that hands back deliveries whose task was lost and purges the old log."""

from __future__ import annotations

import datetime

from django.tasks import task
from django.utils import timezone

from heard.core.worker import queue_once
from heard.webhooks import sending

SWEEP_EVERY = datetime.timedelta(minutes=5)


@task
def send_delivery(delivery_id: int) -> str:
    return sending.attempt(delivery_id)


@task
def sweep_deliveries() -> int:
    found = sending.sweep()
    schedule_sweep(timezone.now() + SWEEP_EVERY)
    return found


def schedule_sweep(when: datetime.datetime) -> None:
    """Queue the next sweep at `when`, unless one is queued already."""
    queue_once(sweep_deliveries, when)
