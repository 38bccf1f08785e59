"""A finished interview to follow up on, with the participant it was held with."""

from __future__ import annotations

import pytest
from django.utils import timezone

from heard.interviews.models import Interview, Note, NoteKind
from heard.participants.models import Participant
from tests.support import factories
from tests.support.followups import QUOTE, finished_interview
from tests.support.personas import Team


@pytest.fixture
def participant(team: Team) -> Participant:
    return factories.participant(
        team.workspace, name="Ana Lima", email="ana@client.example", company="Client Co"
    )


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
