"""A study planned for synthesis (validation points, and a guide whose questions serve them),
and a finished call of it to take notes in."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from heard.accounts.models import User, Workspace
from heard.guides.models import Guide, Question
from heard.interviews.live import milestones
from heard.interviews.models import (
    Interview,
    Note,
    TeamMember,
    TeamRole,
    Transcript,
    TranscriptSpeaker,
)
from heard.interviews.transcripts import speakers
from heard.interviews.transcripts.imports import import_transcript
from heard.participants.models import Participant
from heard.studies.models import Study, ValidationPoint
from tests.support import factories
from tests.support.transcripts import vtt_of


@dataclass
class Call:
    interview: Interview
    points: list[ValidationPoint]
    questions: list[Question]
    """One question per point (in the same order), then one that serves no point."""

    def note(
        self,
        kind: str,
        text: str,
        minute: int,
        question: Question | None = None,
        **fields: Any,
    ) -> Note:
        return Note.objects.create(
            id=uuid.uuid4(),
            interview=fields.pop("interview", self.interview),
            author=fields.pop("author", None),
            kind=kind,
            text=text,
            elapsed_seconds=minute * 60,
            question=question,
            **fields,
        )


@dataclass
class Plan:
    study: Study
    guide: Guide
    points: list[ValidationPoint]
    questions: list[Question]


def planned_study(workspace: Workspace, statements: Sequence[str], **fields: Any) -> Plan:
    """A study with its validation points (the last one an open question) and a guide whose
    questions serve them one each, plus one question that serves none."""
    study = factories.study(workspace, **fields)
    points = [factories.point(study, text, i) for i, text in enumerate(statements)]
    points[-1].kind = "question"
    points[-1].save()
    guide = factories.guide(study, questions=len(points) + 1)
    questions = list(Question.objects.filter(section__guide=guide).order_by("position"))
    for question, point in zip(questions, points, strict=False):
        question.points.set([point])
    return Plan(study, guide, points, questions)


def held_with_transcript(
    plan: Plan,
    person: Participant,
    interviewer: User,
    when: datetime.datetime,
    lines: Sequence[tuple[float, float, str, str]],
    team_labels: dict[str, User],
    *,
    language: str = "",
) -> tuple[Interview, Transcript]:
    """An interview of `plan` held with `person` on the live screen (consent given), with an
    imported transcript of `lines` whose speakers are mapped: the labels in `team_labels` to
    those team members, every other label to the participant."""
    interview = factories.interview(
        plan.study, person, guide=plan.guide, starts_at=when, transcript_language=language
    )
    TeamMember.objects.create(interview=interview, user=interviewer, role=TeamRole.INTERVIEWER)
    milestones.start(interview, interviewer)
    milestones.record_consent(interview, interviewer, "yes")
    milestones.end(interview, interviewer, promised_follow_up=False)
    interview.refresh_from_db()
    upload = SimpleUploadedFile("call.vtt", vtt_of(lines), content_type="text/vtt")
    transcript = import_transcript(interview, interviewer, upload, None)
    answers = {}
    for speaker in TranscriptSpeaker.objects.filter(interview=interview):
        member = team_labels.get(speaker.label)
        answers[speaker.pk] = (f"user:{member.pk}", "") if member else ("participant", "")
    speakers.save_mapping(interview, answers, speakers.team_of(interview), interviewer)
    return interview, transcript
