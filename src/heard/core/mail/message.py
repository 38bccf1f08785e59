"""The parts of a mail every kind shares: names on one line, mailboxes, Message-IDs, and who
a mail is from and whom replies go to.

Mail is plain text, so names that hold HTML reach people as the very characters typed. Names
are folded onto one line before they go into a header, and Python's email package refuses any
header value that would still hold a line break. A page that shows a mail shows names as people
read them, not with the quotes and escapes the header needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings


def one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Mailbox:
    """A name and an address: quoted and escaped as a mail header needs them (`header`), and
    as people read them (`str`, for a preview)."""

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


def mailbox(name: str, address: str) -> str:
    """`Name <address>`, quoted as mail headers need, on one line whatever the name holds."""
    return Mailbox(name, address).header


def new_message_id() -> str:
    """A Message-ID under Heard's own host name, made once per mail and kept for every attempt."""
    return make_msgid(domain=urlsplit(settings.HEARD_BASE_URL).hostname or "heard.invalid")


@dataclass(frozen=True)
class Envelope:
    """Who a mail is from, to whom replies go, and who gets it."""

    sender: Mailbox | None
    reply_to: list[Mailbox]
    to: Mailbox


def envelope(sender: Mailbox | None, to: Mailbox) -> Envelope:
    """From the configured address (HEARD_EMAIL_FROM) when there is one, with replies to the
    person who sends (`sender`); else from that person."""
    configured = settings.HEARD_EMAIL_FROM
    if not configured:
        return Envelope(sender, [], to)
    name, address = parseaddr(configured)
    return Envelope(Mailbox(name, address), [sender] if sender else [], to)


def from_and_reply_to(name: str, address: str) -> tuple[str, list[str]]:
    """The From and Reply-To headers of `envelope` for a mail sent by `name` <`address`>.
    Empty when neither the configured address nor the person's is known."""
    sender = Mailbox(name, address) if address else None
    sent = envelope(sender, Mailbox("", ""))
    return (sent.sender.header if sent.sender else ""), [box.header for box in sent.reply_to]
