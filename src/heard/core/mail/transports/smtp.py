"""Sending over SMTP: plain, STARTTLS or TLS from the start, with a login when one is set.

Every message opens a connection of its own, with a timeout on every step, and closes it: a
worker never holds a connection that a mail server may have dropped in the meantime.
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.core.mail import DNS_NAME, EmailMessage
from django.utils.encoding import punycode

from heard.conf import MailSecurity, MailServer
from heard.core.mail.transports.base import DeliveryFailed

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

TIMEOUT_SECONDS = 30
MAY_HAVE_ARRIVED = (
    "This happened after the whole email was handed to the server, so it may have arrived "
    "anyway: check (with the customer, or in the mail server's log) before sending it again, "
    "or they may get it twice."
)


class _Smtp(smtplib.SMTP):
    """smtplib's client, noting when the whole message has been handed to the server.

    Until the line that ends the message is sent, a broken connection means the server drops
    the message (RFC 5321, 4.1.1.4). After it, the server may have taken the message even if
    its reply never came back.
    """

    handed_over = False
    _in_data = False

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        self._in_data = True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def send(self, s: ReadableBuffer | str) -> None:
        super().send(s)
        # smtplib sends the whole message, ending with "<CRLF>.<CRLF>", in one call.
        if self._in_data and isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.handed_over = True


class _SmtpOverTls(_Smtp, smtplib.SMTP_SSL):
    pass


class SmtpTransport:
    def __init__(self, server: MailServer, timeout: float = TIMEOUT_SECONDS) -> None:
        self.server = server
        self.timeout = timeout

    @property
    def where(self) -> str:
        return f"{self.server.host}:{self.server.port}"

    def send(self, message: EmailMessage) -> None:
        sender = envelope_address(message.from_email)
        recipients = [envelope_address(address) for address in message.recipients()]
        data = message.message(policy=email.policy.SMTP).as_bytes()
        connection: _Smtp | None = None
        try:
            connection = self._connect()
            self._secure_and_log_in(connection)
            refused = connection.sendmail(sender, recipients, data)
        except (smtplib.SMTPException, OSError) as error:  # OSError: TLS, timeouts, the network
            reason = self._reason(error)
            # A reply the server did send (4xx, 5xx) is an answer; a missing one is not.
            if (
                connection is not None
                and connection.handed_over
                and not isinstance(error, smtplib.SMTPResponseException)
            ):
                raise DeliveryFailed(
                    f"{reason} {MAY_HAVE_ARRIVED}", may_have_arrived=True
                ) from error
            raise DeliveryFailed(reason) from error
        finally:
            if connection is not None:
                _close(connection)
        if refused:
            raise DeliveryFailed(_refused(refused))

    def _reason(self, error: smtplib.SMTPException | OSError) -> str:
        """What went wrong, in words, with the server's reply when there was one."""
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            return _refused(error.recipients)
        if isinstance(error, smtplib.SMTPAuthenticationError):
            return f"The mail server refused the login: {_reply(error.smtp_code, error.smtp_error)}"
        if isinstance(error, smtplib.SMTPResponseException):
            return (
                f"The mail server refused the message: {_reply(error.smtp_code, error.smtp_error)}"
            )
        if isinstance(error, smtplib.SMTPServerDisconnected):
            if isinstance(error.__context__, TimeoutError):  # smtplib's word for a slow reply
                return self._reason(error.__context__)
            return (
                f"The mail server at {self.where} closed the connection ({error or 'no reason'})."
            )
        if isinstance(error, smtplib.SMTPException):  # STARTTLS or a login the server lacks
            return f"The mail server at {self.where} cannot do this: {error}"
        if isinstance(error, ssl.SSLError):
            return f"TLS with {self.where} failed: {error.reason or error}."
        if isinstance(error, TimeoutError):
            return (
                f"The mail server at {self.where} did not answer within {self.timeout:g} seconds."
            )
        return f"Could not reach the mail server at {self.where}: {error.strerror or error}."

    def _connect(self) -> _Smtp:
        host, port = self.server.host, self.server.port
        local = str(DNS_NAME)
        if self.server.security == MailSecurity.TLS:
            return _SmtpOverTls(
                host, port, local_hostname=local, timeout=self.timeout, context=_context()
            )
        return _Smtp(host, port, local_hostname=local, timeout=self.timeout)

    def _secure_and_log_in(self, connection: smtplib.SMTP) -> None:
        if self.server.security == MailSecurity.STARTTLS:
            connection.starttls(context=_context())
        if self.server.username:
            connection.login(self.server.username, self.server.password)


def _context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _close(connection: _Smtp) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):  # the message is delivered or not, whatever QUIT says
        connection.close()


def envelope_address(address: str) -> str:
    """The bare address for the SMTP envelope, with a non-ASCII domain in its ASCII form."""
    _, addr_spec = parseaddr(address)
    local, _, domain = addr_spec.rpartition("@")
    return addr_spec if domain.isascii() else f"{local}@{punycode(domain)}"


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}".strip()


def _refused(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "The mail server refused the recipient: " + "; ".join(
        f"{address}: {_reply(code, text)}" for address, (code, text) in recipients.items()
    )
