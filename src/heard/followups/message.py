"""A follow-up as an email: for the mail server, as an .eml file, and as a mailto: link.

The mail is plain text, so names and quotes that hold HTML reach the customer as the very
characters typed. Names are folded onto one line before they go into a header, and Python's
email package refuses any header value that would still hold a line break. The preview shows
names as people read them, not with the quotes and escapes the header needs.
"""

from __future__ import annotations

import email.policy
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMessage

from heard.accounts.models import User
from heard.core.downloads import name_part
from heard.followups.models import FollowUp


def one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Mailbox:
    """A name and an address: quoted and escaped as a mail header needs them (`header`), and
    as people read them (`str`, for the preview)."""

    name: str
    address: str

    @property
    def header(self) -> str:
        """`"Zoë \\"Z\\" O'Brien" <zoe@example.org>`, on one line whatever the name holds."""
        local, _, domain = self.address.strip().rpartition("@")
        return str(Address(display_name=one_line(self.name), username=local, domain=domain))

    def __str__(self) -> str:
        """`Zoë "Z" O'Brien <zoe@example.org>`."""
        name, address = one_line(self.name), self.address.strip()
        return f"{name} <{address}>" if name else address


def new_message_id() -> str:
    """A Message-ID under Heard's own host name, made once per mail and kept for every attempt."""
    return make_msgid(domain=urlsplit(settings.HEARD_BASE_URL).hostname or "heard.invalid")


def sender_of(followup: FollowUp, viewer: User | None = None) -> User | None:
    """Who the mail is from: whoever sends it; for one not sent yet, the person looking at it."""
    if viewer is not None and followup.is_editable:
        return viewer
    return followup.sent_by or followup.created_by


@dataclass(frozen=True)
class Envelope:
    """Who a follow-up is from, to whom replies go, and who gets it."""

    sender: Mailbox | None
    reply_to: list[Mailbox]
    to: Mailbox


def envelope_of(followup: FollowUp, viewer: User | None = None) -> Envelope:
    """From the configured address when there is one, replies to the person who sends."""
    sender = sender_of(followup, viewer)
    own = Mailbox(sender.name, sender.email) if sender is not None else None
    to = Mailbox(followup.to_name, followup.to_email)
    configured = settings.HEARD_EMAIL_FROM
    if not configured:
        return Envelope(own, [], to)
    name, address = parseaddr(configured)
    return Envelope(Mailbox(name, address), [own] if own else [], to)


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
