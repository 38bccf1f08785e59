"""A finished interview to follow up on, and a real SMTP server to send through."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import LazySettings
from django.urls import reverse
from django.utils import timezone

from heard.followups.models import FollowUp
from heard.interviews.models import Interview, InterviewStatus, Note, NoteKind, TeamMember, TeamRole
from heard.participants.models import Participant
from tests import factories
from tests.conftest import Team
from tests.smtp_server import (  # noqa: F401  (smtp_server: a shared fixture)
    HOST,
    LoopbackMailServer,
    Recorder,
    free_port,
    smtp_server,
)

QUOTE = "Reports eat my Monday mornings."


@pytest.fixture
def participant(team: Team) -> Participant:
    return factories.participant(
        team.workspace, name="Ana Lima", email="ana@client.example", company="Client Co"
    )


def finished_interview(
    team: Team, person: Participant, study_title: str, notes: Sequence[tuple[NoteKind, str]]
) -> Interview:
    """An interview done a few hours ago, led by the owner, with `notes` taken in order."""
    study = factories.study(team.workspace, title=study_title)
    start = timezone.now() - datetime.timedelta(hours=3)
    iv = factories.interview(
        study,
        person,
        starts_at=start,
        started_at=start,
        ended_at=start + datetime.timedelta(minutes=45),
        status=InterviewStatus.DONE,
    )
    TeamMember.objects.create(interview=iv, user=team.owner, role=TeamRole.INTERVIEWER)
    for minute, (kind, text) in enumerate(notes, start=1):
        Note.objects.create(
            interview=iv, author=team.owner, kind=kind, text=text, elapsed_seconds=minute * 60
        )
    return iv


@pytest.fixture
def interview(team: Team, participant: Participant) -> Interview:
    iv = finished_interview(
        team,
        participant,
        "Reporting pains",
        [
            (NoteKind.PAIN, "Exports time out on long date ranges."),
            (NoteKind.QUOTE, QUOTE),
            (NoteKind.FOLLOW_UP, "Send them the export docs."),
        ],
    )
    Note.objects.create(
        interview=iv,
        author=team.owner,
        kind=NoteKind.QUOTE,
        text="A quote taken back",
        deleted_at=timezone.now(),
    )
    return iv


def draft(interview: Interview, **fields: Any) -> FollowUp:
    values = {
        "to_name": interview.participant.name,
        "to_email": interview.participant.email,
        "subject": "Thank you for your time, Ana",
        "body": "Hi Ana,\n\nThank you for your time.\n",
        "message_id": "<draft.1@heard.test>",
    } | fields
    return FollowUp.objects.create(interview=interview, **values)


def url(name: str, team: Team, **kwargs: Any) -> str:
    return reverse(f"followups:{name}", kwargs={"ws": team.workspace.slug, **kwargs})


def mail_url(name: str, team: Team, followup: FollowUp) -> str:
    return url(name, team, interview_pk=followup.interview_id, pk=followup.pk)


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


@pytest.fixture
def flaky_server(settings: LazySettings) -> Iterator[FlakyServer]:
    """Like `smtp_server`, with a server that can lose its reply to a message it took."""
    recorder = FlakyRecorder()
    port = free_port()
    controller = Controller(recorder, hostname=HOST, port=port)
    controller.start()
    try:
        server = FlakyServer(port, recorder)
        settings.HEARD_EMAIL_SERVER = server.settings()
        yield server
    finally:
        controller.stop()
