"""A held interview with a transcript whose speakers are mapped: Tom (a researcher) led it,
Bo Chen was the customer. What the coach should find in it is known line by line."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heard.interviews.live import milestones
from heard.interviews.models import Interview, TeamMember, TeamRole, Transcript, TranscriptSpeaker
from heard.interviews.transcripts import speakers
from heard.interviews.transcripts.imports import import_transcript
from tests.support import factories
from tests.support.calls import planned_study
from tests.support.personas import Team
from tests.support.transcripts import vtt_of

# (start s, end s, who, words)
LINES = (
    (0, 6, "Tom", "Is it all right if we record this call?"),
    (6, 8, "Bo", "Sure, go ahead."),
    (8, 20, "Tom", "Thanks. We're here to learn how finance teams close their books."),
    (21, 25, "Tom", "Tell me about the last time you closed the books."),
    (26, 70, "Bo", "It was a mess. We were three days late because the bank feed broke again."),
    (71, 75, "Tom", "Don't you think a tool would fix that?"),
    (76, 90, "Bo", "Maybe, but the real problem is the approvals."),
    (
        91,
        100,
        "Tom",
        "We're building an app that approves invoices automatically. Would you use it?",
    ),
    (101, 130, "Bo", "I would need to see it. Honestly our approvals sit with the CFO."),
    (131, 135, "Tom", "How do you measure how late you are?"),
    (
        136,
        170,
        "Bo",
        "Days after month end. Last quarter it was six days. Can I ask what you do with this?",
    ),
    (171, 180, "Tom", "Of course: we decide what to build next."),
)


def vtt(lines=LINES) -> bytes:
    return vtt_of(lines)


@dataclass
class Coached:
    interview: Interview
    transcript: Transcript


def map_speakers(interview: Interview, team: Team) -> None:
    found = {s.label: s for s in TranscriptSpeaker.objects.filter(interview=interview)}
    answers = {}
    if "Tom" in found:
        answers[found["Tom"].pk] = (f"user:{team.teammate.pk}", "")
    if "Bo" in found:
        answers[found["Bo"].pk] = ("participant", "")
    speakers.save_mapping(interview, answers, speakers.team_of(interview), team.owner)


def held_with_transcript(team: Team, lines=LINES) -> Coached:
    plan = planned_study(team.workspace, ("Approvals hold the books back", "Nobody cares"))
    person = factories.participant(team.workspace, name="Bo Chen")
    interview = factories.interview(plan.study, person, guide=plan.guide)
    TeamMember.objects.create(interview=interview, user=team.teammate, role=TeamRole.INTERVIEWER)
    milestones.start(interview, team.teammate)
    milestones.record_consent(interview, team.teammate, "yes")
    milestones.end(interview, team.teammate, promised_follow_up=True)
    interview.refresh_from_db()
    upload = SimpleUploadedFile("call.vtt", vtt(lines), content_type="text/vtt")
    transcript = import_transcript(interview, team.teammate, upload, None)
    map_speakers(interview, team)
    return Coached(interview, transcript)


@pytest.fixture
def coached(team: Team) -> Coached:
    return held_with_transcript(team)
