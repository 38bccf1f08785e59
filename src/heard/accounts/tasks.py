"""Background work of the accounts: emailing an invitation."""

from __future__ import annotations

from django.tasks import task

from heard.accounts.invitation_mail import deliver


@task
def send_invitation(invitation_id: int) -> str:
    return deliver(invitation_id)
