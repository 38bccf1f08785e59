"""A finished interview of a study with three validation points, each served by its own question."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.accounts.models import Workspace
from heard.guides.models import Guide, Question
from heard.interviews.models import Interview, InterviewStatus, Note
from heard.studies.models import Study, ValidationPoint
from tests import factories
from tests.conftest import Team


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


@pytest.fixture
def call(team: Team) -> Call:
    plan = planned_study(
        team.workspace,
        (
            "Small teams rebuild reports by hand every week",
            "They would trust scheduled reports unreviewed",
            "How do they measure reporting efficiency?",
        ),
    )
    interview = factories.interview(
        plan.study,
        factories.participant(team.workspace, name="Nickole Barros", company="Brightpath"),
        guide=plan.guide,
        status=InterviewStatus.DONE,
        started_at=timezone.now(),
        ended_at=timezone.now(),
    )
    return Call(interview, plan.points, plan.questions)


def url(name: str, interview: Interview, **kwargs: Any) -> str:
    ws = interview.study.workspace.slug
    return reverse(f"summaries:{name}", kwargs={"ws": ws, "pk": interview.pk, **kwargs})
