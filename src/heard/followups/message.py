"""A follow-up as an email: for the mail server, as an .eml file, and as a mailto: link.

The mail is plain text, so names and quotes that hold HTML reach the customer as the very
characters typed; the headers are built by `core.mail.message`.
"""

from __future__ import annotations

import email.policy
from email.utils import format_datetime
from urllib.parse import quote

from django.core.mail import EmailMessage

from heard.accounts.models import User
from heard.core.mail.message import from_and_reply_to, mailbox, one_line
from heard.followups.models import FollowUp


def sender_of(followup: FollowUp, viewer: User | None = None) -> User | None:
    """Who the mail is from: whoever sends it; for one not sent yet, the person looking at it."""
    if viewer is not None and followup.is_editable:
        return viewer
    return followup.sent_by or followup.created_by


def email_for(followup: FollowUp, viewer: User | None = None) -> EmailMessage:
    sender = sender_of(followup, viewer)
    from_email, reply_to = from_and_reply_to(
        sender.name if sender else "", sender.email if sender else ""
    )
    headers = {"Message-ID": followup.message_id}
    if followup.sent_at is not None:
        headers["Date"] = format_datetime(followup.sent_at)
    return EmailMessage(
        subject=one_line(followup.subject),
        body=followup.body,
        from_email=from_email,
        to=[mailbox(followup.to_name, followup.to_email)],
        reply_to=reply_to,
        headers=headers,
    )


def eml_bytes(followup: FollowUp, viewer: User) -> bytes:
    """The mail as a file that mail programs open; unsent ones open as a draft in Outlook."""
    message = email_for(followup, viewer)
    if followup.is_editable:
        message.extra_headers["X-Unsent"] = "1"
    return message.message(policy=email.policy.SMTP).as_bytes()


def eml_filename(followup: FollowUp) -> str:
    return f"follow-up-{followup.interview.local_start:%Y-%m-%d}-{followup.pk}.eml"


def mailto_url(followup: FollowUp) -> str:
    """A mailto: link (RFC 6068) that opens the mail, filled in, in the person's mail program."""
    body = "\r\n".join(followup.body.splitlines())
    return (
        f"mailto:{quote(followup.to_email.strip(), safe='@')}"
        f"?subject={quote(one_line(followup.subject), safe='')}&body={quote(body, safe='')}"
    )
