"""Finished interviews to follow up on, and follow-up drafts."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from heard.followups.models import FollowUp
from heard.interviews.models import Interview, InterviewStatus, Note, NoteKind, TeamMember, TeamRole
from heard.participants.models import Participant
from tests.support import factories
from tests.support.personas import Team

# The quote taken in the followups tests' `interview`.
QUOTE = "Reports eat my Monday mornings."


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


def draft(interview: Interview, **fields: Any) -> FollowUp:
    """A draft thank-you email to the interview's participant."""
    values = {
        "to_name": interview.participant.name,
        "to_email": interview.participant.email,
        "subject": "Thank you for your time, Ana",
        "body": "Hi Ana,\n\nThank you for your time.\n",
        "message_id": "<draft.1@heard.test>",
    } | fields
    return FollowUp.objects.create(interview=interview, **values)
