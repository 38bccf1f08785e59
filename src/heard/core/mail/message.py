"""The parts of a mail every kind shares: names on one line, mailboxes, Message-IDs, and who
a mail is from and whom replies go to.

Mail is plain text, so names that hold HTML reach people as the very characters typed. Names
are folded onto one line before they go into a header, and Python's email package refuses any
header value that would still hold a line break.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings


def one_line(text: str) -> str:
    return " ".join(text.split())


def mailbox(name: str, address: str) -> str:
    """`Name <address>`, quoted as mail headers need, on one line whatever the name holds."""
    local, _, domain = address.strip().rpartition("@")
    return str(Address(display_name=one_line(name), username=local, domain=domain))


def new_message_id() -> str:
    """A Message-ID under Heard's own host name, made once per mail and kept for every attempt."""
    return make_msgid(domain=urlsplit(settings.HEARD_BASE_URL).hostname or "heard.invalid")


def from_and_reply_to(name: str, address: str) -> tuple[str, list[str]]:
    """From the configured address (HEARD_EMAIL_FROM) when there is one, with replies to the
    person who sends (`name`, `address`); else from that person. Empty when neither is known."""
    own = mailbox(name, address) if address else ""
    configured = settings.HEARD_EMAIL_FROM
    if not configured:
        return own, []
    configured_name, configured_address = parseaddr(configured)
    return mailbox(configured_name, configured_address), [own] if own else []
