"""Claims on the rows of background jobs (a transcription, a large export), held with a lease.

A job is a row with a status, and a task on the queue that does its work. The task **claims**
the row with one conditional update: a waiting row, or a running one whose claim was not
renewed for the lease (its worker died). The claim is a token the row keeps; every later write
of the run (progress, the end) is made only while the row still holds that token, and renews
the claim, so a run that was taken over, or whose worker comes back to life, writes nothing
more. The row needs `status`, `run_token`, `heartbeat_at`, `started_at` and `attempts`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

# A run renews its claim with every progress report (at least every few seconds of work); one
# not renewed for this long belongs to a worker that died.
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Lease:
    """How the rows of `model` are claimed: from status `waiting` to `running`, the claim
    lapsing when not renewed for `length`."""

    model: type[models.Model]
    waiting: str
    running: str
    length: timedelta = LEASE

    def stalled(self) -> Q:
        """Running rows whose claim lapsed: their worker died."""
        lapsed = timezone.now() - self.length
        return Q(status=self.running) & (Q(heartbeat_at__lt=lapsed) | Q(heartbeat_at__isnull=True))

    def claim(self, pk: int, **changes: Any) -> str | None:
        """Take row `pk` for a run (saving `changes` with it): the run's token, or None when
        another run holds it or it is not waiting (done, failed, deleted)."""
        token = uuid.uuid4().hex
        now = timezone.now()
        taken = self.model._default_manager.filter(
            Q(status=self.waiting) | self.stalled(), pk=pk
        ).update(
            status=self.running,
            run_token=token,
            heartbeat_at=now,
            started_at=now,
            attempts=F("attempts") + 1,
            **changes,
        )
        return token if taken else None

    def status_of(self, pk: int, unfinished: Collection[str]) -> str:
        """What a run that could not claim row `pk` found: "gone" (deleted), "busy" (another
        run holds it, or it waits for one), else the status it ended in."""
        status = self.model._default_manager.filter(pk=pk).values_list("status", flat=True).first()
        return "gone" if status is None else "busy" if status in unfinished else str(status)

    def revive(self, rows: models.QuerySet[Any], enqueue: Callable[[int], None]) -> int:
        """Put the stalled among `rows` back to waiting, each with a new task (`enqueue`):
        their worker died. How many."""
        revived = 0
        for pk in rows.filter(self.stalled()).values_list("pk", flat=True):
            with transaction.atomic():
                if rows.filter(self.stalled(), pk=pk).update(status=self.waiting, run_token=""):
                    enqueue(pk)
                    revived += 1
        return revived

    def renew(self, pk: int, token: str, **changes: Any) -> bool:
        """Renew the run's claim and save `changes`; False when the claim is gone."""
        return self.end(pk, token, heartbeat_at=timezone.now(), **changes)

    def end(self, pk: int, token: str, **changes: Any) -> bool:
        """Save `changes` (the run's end: its status, its token cleared) while the run holds
        the row; False when the claim is gone."""
        held = self.model._default_manager.filter(pk=pk, run_token=token, status=self.running)
        return bool(held.update(**changes))
