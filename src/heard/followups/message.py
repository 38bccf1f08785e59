"""A follow-up as an email: for the mail server, as an .eml file, and as a mailto: link.

The mail is plain text, so names and quotes that hold HTML reach the customer as the very
characters typed; the headers, and names as people read them for the preview, come from
`core.mail.message`.
"""

from __future__ import annotations

import email.policy
from email.utils import format_datetime
from urllib.parse import quote

from django.core.mail import EmailMessage

from heard.accounts.models import User
from heard.core.downloads import name_part
from heard.core.mail.message import Envelope, Mailbox, envelope, one_line
from heard.followups.models import FollowUp


def sender_of(followup: FollowUp, viewer: User | None = None) -> User | None:
    """Who the mail is from: whoever sends it; for one not sent yet, the person looking at it."""
    if viewer is not None and followup.is_editable:
        return viewer
    return followup.sent_by or followup.created_by


def envelope_of(followup: FollowUp, viewer: User | None = None) -> Envelope:
    """From the configured address when there is one, replies to the person who sends."""
    sender = sender_of(followup, viewer)
    own = Mailbox(sender.name, sender.email) if sender is not None else None
    return envelope(own, Mailbox(followup.to_name, followup.to_email))


def email_for(followup: FollowUp, viewer: User | None = None) -> EmailMessage:
    envelope = envelope_of(followup, viewer)
    headers = {"Message-ID": followup.message_id}
    if followup.sent_at is not None:
        headers["Date"] = format_datetime(followup.sent_at)
    return EmailMessage(
        subject=one_line(followup.subject),
        body=followup.body,
        from_email=envelope.sender.header if envelope.sender else "",
        to=[envelope.to.header],
        reply_to=[mailbox.header for mailbox in envelope.reply_to],
        headers=headers,
    )


def eml_bytes(followup: FollowUp, viewer: User) -> bytes:
    """The mail as a file that mail programs open; unsent ones open as a draft in Outlook."""
    message = email_for(followup, viewer)
    if followup.is_editable:
        message.extra_headers["X-Unsent"] = "1"
    return message.message(policy=email.policy.SMTP).as_bytes()


def eml_filename(followup: FollowUp) -> str:
    """follow-up-2027-01-15-zoë-łukasiewicz-12.eml: the day, the customer, the mail."""
    interview = followup.interview
    name = name_part(interview.participant.name)
    parts = ("follow-up", f"{interview.local_start:%Y-%m-%d}", name, str(followup.pk))
    return "-".join(part for part in parts if part) + ".eml"


def mailto_url(followup: FollowUp) -> str:
    """A mailto: link (RFC 6068) that opens the mail, filled in, in the person's mail program."""
    body = "\r\n".join(followup.body.splitlines())
    return (
        f"mailto:{quote(followup.to_email.strip(), safe='@')}"
        f"?subject={quote(one_line(followup.subject), safe='')}&body={quote(body, safe='')}"
    )
