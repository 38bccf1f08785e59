"""Sending an invitation by email, when a mail server is set (HEARD_EMAIL_URL).

Sending is a task, as for follow-up mail: the request marks the invitation queued with a
conditional update and hands it to the task, which claims it (queued → sending) before it
talks to the mail server, so a double click or a second worker cannot send it twice.

The link's token is made by the task, just before the mail leaves, and only its hash is
stored: the token never waits in the task queue's table, where anyone who reads the database
could use it. Sending again makes a new link, and the one in the earlier email stops working.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from heard.accounts.models import Invitation, InvitationMail, Role
from heard.accounts.tokens import new_token
from heard.core.busy import when_free
from heard.core.mail.message import from_and_reply_to, mailbox, new_message_id, one_line
from heard.core.mail.transports import DeliveryFailed, configured_transport

logger = logging.getLogger(__name__)

FAILURE_REASON_MAX_LENGTH = 2000
# The states from which an invitation may be (re)sent: never while a mail is on its way.
SENDABLE = {
    False: (InvitationMail.NOT_SENT,),
    True: (InvitationMail.SENT, InvitationMail.FAILED),
}


class MailOff(Exception):
    """No mail server is configured: the link is shown to copy instead."""


def mail_available() -> bool:
    return configured_transport() is not None


def queue(invitation: Invitation, *, again: bool = False) -> bool:
    """Hand an open invitation with an email address to the task; False if it cannot go now
    (no address, used, revoked, expired, or a mail already on its way)."""
    if not mail_available():
        raise MailOff("Sending email is off: this Heard has no mail server (HEARD_EMAIL_URL).")
    with transaction.atomic():
        claimed = (
            Invitation.objects.usable()
            .filter(pk=invitation.pk, mail_status__in=SENDABLE[again])
            .exclude(email="")
            .update(mail_status=InvitationMail.QUEUED, mail_failure="")
        )
        if claimed:
            from heard.accounts.tasks import send_invitation  # the task module imports this

            send_invitation.enqueue(invitation.pk)
    return bool(claimed)


def invitation_email(invitation: Invitation, link: str) -> EmailMessage:
    inviter = invitation.created_by
    inviter_name = one_line(inviter.name) if inviter is not None else "A colleague"
    from_email, reply_to = from_and_reply_to(
        inviter.name if inviter else "", inviter.email if inviter else ""
    )
    workspace = one_line(invitation.workspace.name)
    role = Role(invitation.role)
    expires = dateformat.format(timezone.localtime(invitation.expires_at), "j F Y")
    body = (
        f"Hello,\n\n"
        f"{inviter_name} invites you to join {workspace} on Heard, where the team plans its "
        f"customer interviews and keeps what customers said. You are invited as "
        f"{role.label.lower()}: {role.description[0].lower()}{role.description[1:]}\n\n"
        f"Open this link to create your account (or sign in) and join:\n\n{link}\n\n"
        f"The link works once, until {expires}. If you did not expect this email, ignore it.\n"
    )
    return EmailMessage(
        subject=one_line(f"{inviter_name} invites you to {workspace} on Heard"),
        body=body,
        from_email=from_email,
        to=[mailbox("", invitation.email)],
        reply_to=reply_to,
        headers={"Message-ID": new_message_id()},
    )


def deliver(invitation_id: int) -> str:
    """Make a fresh link and email it; the task's whole job. Returns the state it ends in."""
    claimed = (
        Invitation.objects.usable()
        .filter(pk=invitation_id, mail_status=InvitationMail.QUEUED)
        .update(mail_status=InvitationMail.SENDING)
    )
    if not claimed:
        state = Invitation.objects.filter(pk=invitation_id).values_list("mail_status", flat=True)
        return state.first() or "gone"
    token, token_hash = new_token()
    Invitation.objects.filter(pk=invitation_id).update(token_hash=token_hash)
    invitation = Invitation.objects.select_related("workspace", "created_by").get(pk=invitation_id)
    link = settings.HEARD_BASE_URL + reverse("accounts:invitation", args=[token])
    try:
        transport = configured_transport()
        if transport is None:
            raise DeliveryFailed("Sending email is off: this Heard has no mail server.")
        transport.send(invitation_email(invitation, link))
    except DeliveryFailed as error:
        return _finish(invitation_id, InvitationMail.FAILED, failure=str(error))
    except ValueError as error:  # an address Python's email package refuses to write
        return _finish(
            invitation_id, InvitationMail.FAILED, failure=f"The email could not be written: {error}"
        )
    except Exception as error:
        logger.exception("Sending invitation %s failed", invitation_id)
        return _finish(invitation_id, InvitationMail.FAILED, failure=f"Unexpected error: {error}")
    return _finish(invitation_id, InvitationMail.SENT, mailed_at=timezone.now())


def requeue_stranded(**_: Any) -> int:
    """Hand every invitation still queued for mailing to a new task; run as a worker starts.

    A worker killed after it took an invitation's task but before the task claimed it (queued
    → sending) leaves the task taken for ever and the invitation queued. A second task for an
    invitation whose first is still waiting changes nothing: only one of them can claim it.
    """
    from heard.accounts.tasks import send_invitation  # the task module imports this

    waiting = list(
        Invitation.objects.filter(mail_status=InvitationMail.QUEUED).values_list("pk", flat=True)
    )
    for invitation_id in waiting:
        send_invitation.enqueue(invitation_id)
    return len(waiting)


def _finish(invitation_id: int, state: InvitationMail, **changes: Any) -> str:
    if "failure" in changes:
        changes["mail_failure"] = changes.pop("failure")[:FAILURE_REASON_MAX_LENGTH]
    # What the mail server answered is recorded even if the database is busy a while.
    when_free(
        lambda: Invitation.objects.filter(
            pk=invitation_id, mail_status=InvitationMail.SENDING
        ).update(mail_status=state, **changes)
    )
    return state
