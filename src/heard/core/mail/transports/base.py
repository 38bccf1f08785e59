"""What every mail transport does: deliver one message, or say in words why it could not."""

from __future__ import annotations

from typing import Protocol

from django.core.mail import EmailMessage


class DeliveryFailed(Exception):
    """The message was not delivered. The text is the reason, kept with the mail for people.

    `may_have_arrived` is true when the connection broke after the whole message was handed to
    the server but before it confirmed: the server may have taken it, and a retry may deliver a
    second copy.
    """

    def __init__(self, reason: str, *, may_have_arrived: bool = False) -> None:
        super().__init__(reason)
        self.may_have_arrived = may_have_arrived


class MailTransport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand `message` over on a connection of its own; raise DeliveryFailed if refused."""
