"""Ways of sending an email. One module per way, each with the shape of `base.py`."""

from __future__ import annotations

from django.conf import settings

from heard.core.mail.transports.base import DeliveryFailed, MailTransport
from heard.core.mail.transports.smtp import SmtpTransport

__all__ = ["DeliveryFailed", "MailTransport", "SmtpTransport", "configured_transport"]


def configured_transport() -> MailTransport | None:
    """The transport HEARD_EMAIL_URL describes, or None when sending is off."""
    server = settings.HEARD_EMAIL_SERVER
    return SmtpTransport(server) if server is not None else None
