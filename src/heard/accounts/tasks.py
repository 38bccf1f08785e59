"""Background work of the accounts: emailing an invitation, and purging the audit log of
entries past their time every day."""

from __future__ import annotations

import datetime
from typing import Any

from django.tasks import task
from django.utils import timezone

from heard.accounts import audit
from heard.accounts.invitation_mail import deliver
from heard.core.worker import queue_once

PURGE_EVERY = datetime.timedelta(days=1)


@task
def send_invitation(invitation_id: int) -> str:
    return deliver(invitation_id)


@task
def purge_audit_log() -> int:
    """Delete the audit entries older than `HEARD_AUDIT_KEEP_DAYS`, then come back in a day."""
    purged = audit.purge()
    queue_once(purge_audit_log, timezone.now() + PURGE_EVERY)
    return purged


def schedule_audit_purge(**_: Any) -> None:
    """As a worker starts: purge now, unless a purge is queued already."""
    queue_once(purge_audit_log, timezone.now())
