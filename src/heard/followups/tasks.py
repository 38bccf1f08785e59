"""Background work of the follow-ups: sending one email."""

from __future__ import annotations

from django.tasks import task

from heard.followups.services import deliver


@task
def deliver_followup(followup_id: int) -> str:
    return deliver(followup_id)
