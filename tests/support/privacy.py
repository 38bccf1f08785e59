"""A participant with one of every kind of thing Heard keeps about a person, and another
participant beside them: what the privacy tests erase and export."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from heard.followups.models import FollowUp
from heard.interviews.models import Interview, Note, NoteKind, Recording, Segment, Transcript
from heard.interviews.transcripts import highlights
from heard.participants import services as participants
from heard.participants.models import Participant, ResearchNote
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Decision, Finding
from heard.synthesis.summaries import services as summaries
from tests.support import factories
from tests.support.calls import Plan, held_with_transcript, planned_study
from tests.support.media import stored_recording
from tests.support.personas import Team

NAME = "Nickole Barros"
EMAIL = "nickole.barros@brightpath.example"
PHONE = "+49 30 1234 5678"
PHRASE = "rebuilding the same six reports by hand"
THEIR_LINE = f"Monday mornings go to {PHRASE}, every single week."
TEAM_LINE = "Thanks Nickole. Walk me through last Monday."
OTHERS_LINE = "Per seat pricing hurts us as we grow."

NICKOLE = (
    (0, 5, "Tom", TEAM_LINE),
    (6, 20, "Nickole Barros", THEIR_LINE),
    (21, 30, "Nickole Barros", f"Call me on {PHONE} if the beta is ready."),
)
BO = ((0, 5, "Tom", "How do you pay today?"), (6, 15, "Bo", OTHERS_LINE))


@dataclass
class World:
    team: Team
    plan: Plan
    person: Participant
    interview: Interview
    transcript: Transcript
    recording: Recording
    other: Interview
    finding: Finding
    decision: Decision


def build(team: Team, folder: Path) -> World:
    plan = planned_study(team.workspace, ("Reports take too long", "Open question"))
    person = factories.participant(
        team.workspace,
        name=NAME,
        email=EMAIL,
        company="Brightpath Analytics",
        segment="SMB",
        profile={"phone": PHONE, "tool": "Sheets"},
    )
    participants.add_note(
        person, ResearchNote(source="CRM", body=f"Asked for {NAME} at the fair."), team.owner
    )
    when = timezone.now() - datetime.timedelta(days=3)
    interview, transcript = held_with_transcript(
        plan, person, team.teammate, when, NICKOLE, {"Tom": team.teammate}
    )
    recording = stored_recording(interview, team.owner, folder)
    transcript.recording = recording
    transcript.save()

    said = Note.objects.create(
        id=uuid.uuid4(), interview=interview, author=team.teammate, kind=NoteKind.QUOTE,
        text=PHRASE, elapsed_seconds=60,
    )  # fmt: skip
    Note.objects.create(
        id=uuid.uuid4(), interview=interview, author=team.teammate, kind=NoteKind.PAIN,
        text=f"{NAME} loses Mondays to reports", elapsed_seconds=90,
    )  # fmt: skip
    line = Segment.objects.get(transcript=transcript, text=THEIR_LINE)
    highlights.add(
        transcript, highlights.locate(transcript, line.pk, None, PHRASE), "pain", [], team.owner
    )
    summary = summaries.start_summary(interview, team.teammate)
    summaries.set_text(summary, "surprises", "Nickole keeps a paper list of the reports.")
    summaries.set_point_field(
        summary, plan.points[0], team.teammate, "what_we_heard", "Reports eat a day a week."
    )
    quote = summaries.add_quote(summary, plan.points[0], team.teammate, said)
    finding = findings.create_finding(
        plan.study, team.owner, f"Reports take a day a week (as {NAME} said)", [plan.points[0]]
    )
    findings.pick(finding, team.owner, "supports", quote=quote)
    decision = Decision.objects.create(
        study=plan.study, text="Build scheduled reports first", recorded_by=team.owner,
        decided_at=timezone.now(),
    )  # fmt: skip
    decision.findings.set([finding])
    FollowUp.objects.create(
        interview=interview, to_name=NAME, to_email=EMAIL, subject="Thank you",
        body=f"Thank you, Nickole. You said: “{PHRASE}”.",
    )  # fmt: skip

    bo = factories.participant(team.workspace, name="Bo Chen", email="bo@northwind.example")
    other, _ = held_with_transcript(plan, bo, team.owner, when, BO, {"Tom": team.owner})
    return World(team, plan, person, interview, transcript, recording, other, finding, decision)
