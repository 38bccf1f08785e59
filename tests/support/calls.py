"""A study planned for synthesis (validation points, and a guide whose questions serve them),
and a finished call of it to take notes in."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from heard.accounts.models import Workspace
from heard.guides.models import Guide, Question
from heard.interviews.models import Interview, Note
from heard.studies.models import Study, ValidationPoint
from tests.support import factories


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
