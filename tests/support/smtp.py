"""A real SMTP server for the tests (aiosmtpd on loopback), which can also misbehave on purpose.

It keeps every message it accepts; it can refuse recipients with a reply of our choosing, drop
the connection in the middle of a message, or refuse a login. `FlakyRecorder` also breaks off at
the worst moments. The fixtures `smtp_server` and `flaky_server` are in
`tests.support.fixtures.mail`.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from heard.conf import MailServer
from tests.support.server import free_port

HOST = "127.0.0.1"
USERNAME = "heard"
PASSWORD = "right password"
# The address Heard's mail comes from (HEARD_EMAIL_FROM, required with a mail server).
SENDER = "Acme Research <research@acme.example>"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Recorder:
    """The server's handler: what arrived, and how to misbehave next."""

    received: list[Received] = field(default_factory=list)
    refuse_recipients_with: str = ""
    drop_during_data: bool = False

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.refuse_recipients_with:
            return self.refuse_recipients_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.drop_during_data:
            assert server.transport is not None
            server.transport.close()
            return "421 4.3.0 Closing"
        content = (envelope.original_content or b"").replace(b"\r\n", b"\n")
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 2.0.0 Message accepted for delivery"


def check_login(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    accepted = auth_data.login == USERNAME.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=accepted, handled=False)


@dataclass
class LoopbackMailServer:
    port: int
    recorder: Recorder

    @property
    def received(self) -> list[Received]:
        return self.recorder.received

    def settings(self, username: str = "", password: str = "") -> MailServer:
        return MailServer(HOST, self.port, "none", username, password)


@contextmanager
def running_smtp(**options: Any) -> Iterator[LoopbackMailServer]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname=HOST, port=port, **options)
    controller.start()
    try:
        yield LoopbackMailServer(port, recorder)
    finally:
        controller.stop()


@dataclass
class FlakyRecorder(Recorder):
    """A server that can also break off at the worst moments, once each."""

    drop_at_rcpt: bool = False  # before the message is handed over: surely not delivered
    lose_the_reply: bool = False  # takes the message, then drops the connection unanswered
    reply_late_by: float = 0.0  # takes the message, then answers after this many seconds
    refuse_data_with: str = ""  # refuses the message once it has it: a clear answer

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.drop_at_rcpt:
            self.drop_at_rcpt = False
            assert server.transport is not None
            server.transport.close()
            return "421 4.3.0 Closing"
        return await super().handle_RCPT(server, session, envelope, address, options)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse_data_with:
            return self.refuse_data_with
        reply = await super().handle_DATA(server, session, envelope)  # delivered from here on
        if self.lose_the_reply:
            self.lose_the_reply = False
            assert server.transport is not None
            server.transport.close()
        if self.reply_late_by:
            await asyncio.sleep(self.reply_late_by)
        return reply


@dataclass
class FlakyServer(LoopbackMailServer):
    recorder: FlakyRecorder
