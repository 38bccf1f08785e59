"""A mail whose task a killed worker had taken goes out once the next worker starts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heard.followups.models import MailStatus
from heard.followups.tasks import deliver_followup
from heard.interviews.models import Interview
from tests.support.followups import draft
from tests.support.smtp import LoopbackMailServer

# The worker runs in this test's thread and must see committed rows.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DATABASE_TASKS)
def test_a_mail_stranded_by_a_killed_worker_is_sent_once_by_the_next(
    interview: Interview, smtp_server: LoopbackMailServer
):
    followup = draft(interview, status=MailStatus.QUEUED, queued_at=timezone.now())
    # Its task was taken by a worker killed before the task claimed the mail: django-tasks-db
    # leaves it running for ever, and nothing else would send the mail.
    task = deliver_followup.enqueue(followup.pk)
    DBTaskResult.objects.filter(id=task.id).update(status="RUNNING")

    call_command("worker", "--batch", verbosity=0)
    followup.refresh_from_db()
    assert followup.status == MailStatus.SENT
    assert [str(m.message["Message-ID"]) for m in smtp_server.received] == [followup.message_id]

    # Later starts queue nothing more: the mail went once.
    call_command("worker", "--batch", verbosity=0)
    assert len(smtp_server.received) == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_an_invitation_stranded_by_a_killed_worker_is_emailed_once_by_the_next(
    team, smtp_server: LoopbackMailServer
):
    """The same for invitations: queued for mailing, their task taken by a dead worker."""
    from heard.accounts.models import Invitation, InvitationMail, Role
    from heard.accounts.tasks import send_invitation

    invitation = Invitation.objects.create(
        workspace=team.workspace,
        email="nina@example.org",
        role=Role.OBSERVER,
        created_by=team.owner,
        token_hash="stranded",
        expires_at=timezone.now() + timedelta(days=7),
        mail_status=InvitationMail.QUEUED,
    )
    task = send_invitation.enqueue(invitation.pk)
    DBTaskResult.objects.filter(id=task.id).update(status="RUNNING")

    call_command("worker", "--batch", verbosity=0)
    invitation.refresh_from_db()
    assert invitation.mail_status == InvitationMail.SENT
    assert [m.recipients for m in smtp_server.received] == [["nina@example.org"]]
    call_command("worker", "--batch", verbosity=0)
    assert len(smtp_server.received) == 1
