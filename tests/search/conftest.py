"""A workspace with known answers for search: two studies, two held interviews with
transcripts (one in Hebrew), notes of every kind, a highlight, a summary with a quote, a
finding, a decision, a participant's research note and profile; and another workspace that
says the same words, which no search of the first may find."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone

from heard.interviews.models import (
    Interview,
    Note,
    NoteKind,
    Segment,
    Transcript,
)
from heard.interviews.transcripts import highlights
from heard.participants import services as participants
from heard.participants.models import ResearchNote
from heard.search import keeping
from heard.synthesis.findings import services as findings
from heard.synthesis.models import Decision, Finding
from heard.synthesis.summaries import services as summaries
from tests.support import factories
from tests.support.calls import Plan, held_with_transcript, planned_study
from tests.support.personas import Team

BO = (
    (0, 5, "Tom", "Tell me about the last time you closed the books."),
    (6, 20, "Bo", "It was a mess. We were three days late because the bank feed broke again."),
    (21, 40, "Bo", "Every month we export invoices to Excel and reconcile them by hand."),
    (41, 45, "Tom", "How do you pay for your current tool?"),
    (46, 60, "Bo", "Per seat pricing hurts us as we grow; we pay for people who never log in."),
    (61, 70, "Bo", "Our café in München orders supplies weekly."),
    (71, 80, "Bo", "An integration with Slack would be nice, or with Teams."),
)
DANA = (
    (0, 6, "Olivia", "What happens at the end of each week?"),
    (7, 15, "Dana", "אנחנו שולחים את הדוח כל שבוע"),
    (16, 30, "Dana", "Invoices are exported weekly by our accountant."),
)


@dataclass
class Corpus:
    team: Team
    plan: Plan
    bo: Interview
    dana: Interview
    transcript: Transcript
    finding: Finding

    def line(self, words: str) -> Segment:
        return Segment.objects.get(
            transcript__interview__in=(self.bo, self.dana), text__contains=words
        )


def _held(
    team: Team, plan: Plan, person, interviewer, when, lines, language=""
) -> tuple[Interview, Transcript]:
    team_labels = {"Tom": team.teammate, "Olivia": team.owner}
    return held_with_transcript(
        plan, person, interviewer, when, lines, team_labels, language=language
    )


def note(interview: Interview, kind: str, text: str, minute: int, **fields) -> Note:
    return Note.objects.create(
        id=uuid.uuid4(),
        interview=interview,
        kind=kind,
        text=text,
        elapsed_seconds=minute * 60,
        **fields,
    )


def build_corpus(team: Team) -> Corpus:
    march = timezone.make_aware(datetime.datetime(2026, 3, 10, 10, 0))
    may = timezone.make_aware(datetime.datetime(2026, 5, 2, 10, 0))
    plan = planned_study(
        team.workspace,
        ("Approvals hold the books back", "Per-seat pricing feels unfair", "What do they use?"),
        title="Q3 pricing",
    )
    bo_person = factories.participant(
        team.workspace,
        name="Bo Chen",
        company="Northwind",
        segment="SMB",
        profile={"tool": "Xero", "team_size": "12"},
    )
    participants.add_note(
        bo_person,
        ResearchNote(source="CRM", body="Churn risk flagged after an invoice dispute."),
        team.owner,
    )
    bo, transcript = _held(team, plan, bo_person, team.teammate, march, BO)
    other = planned_study(
        team.workspace, ("Onboarding is slow", "Open question"), title="Onboarding"
    )
    dana_person = factories.participant(
        team.workspace, name="Dana Levi", company="Contoso", segment="Enterprise"
    )
    dana, _ = _held(team, other, dana_person, team.owner, may, DANA, language="he")

    q = plan.questions
    note(bo, NoteKind.PAIN, "Reconciling invoices takes two days every month", 3, question=q[0])
    note(bo, NoteKind.KPI, "Three days late closing the books", 4)
    note(bo, NoteKind.SOLUTION_REQUEST, "Wants automatic approvals", 5)
    said = note(bo, NoteKind.QUOTE, "We pay for people who never log in", 6, question=q[1])
    note(bo, NoteKind.NOTE, "Deleted thought about invoices", 7, deleted_at=timezone.now())

    line = Segment.objects.get(transcript=transcript, text__startswith="Per seat pricing")
    span = highlights.locate(transcript, line.pk, None, "Per seat pricing hurts us as we grow")
    highlights.add(transcript, span, NoteKind.PAIN, [plan.points[1]], team.teammate)

    summary = summaries.start_summary(bo, team.teammate)
    summaries.set_text(summary, "surprises", "They also run a café on the side.")
    summaries.set_point_field(
        summary,
        plan.points[0],
        team.teammate,
        "what_we_heard",
        "Approvals are the bottleneck, not the bank feed.",
    )
    quote = summaries.add_quote(summary, plan.points[1], team.teammate, said)

    finding = findings.create_finding(
        plan.study, team.owner, "Per-seat pricing pushes small teams away", [plan.points[1]]
    )
    findings.pick(finding, team.owner, "supports", quote=quote)
    decision = Decision.objects.create(
        study=plan.study,
        text="Test usage-based pricing with five SMB customers",
        recorded_by=team.owner,
        decided_at=may,
    )
    decision.findings.set([finding])

    # Another workspace says the same words: none of it may be found from the first.
    stranger = planned_study(
        team.other_workspace, ("Invoices matter",), title="Q3 pricing elsewhere"
    )
    stranger_person = factories.participant(
        team.other_workspace, name="Bo Chen", company="Northwind"
    )
    elsewhere = factories.interview(
        stranger.study, stranger_person, guide=stranger.guide, starts_at=march
    )
    note(elsewhere, NoteKind.PAIN, "Reconciling invoices every month in Excel", 3)
    findings.create_finding(
        stranger.study, team.outsider, "Per-seat pricing pushes small teams away", []
    )
    return Corpus(team, plan, bo, dana, transcript, finding)


@pytest.fixture
def corpus(team: Team) -> Corpus:
    return build_corpus(team)


__all__ = ["Corpus", "build_corpus", "keeping"]
