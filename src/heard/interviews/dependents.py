"""What held interviews keep of a guide: the questions they asked, the states they ticked, the
notes they tied to a question (`core.dependents`); and the highlights of transcripts marked
with a validation point. A guide, section or question with any of
these is archived, never deleted, so that a held interview's wrap-up and notes read as they
did."""

from __future__ import annotations

from django.db.models import Model, Q

from heard.core.dependents import Dependent, register
from heard.guides.models import Guide, Question, Section
from heard.interviews.models import Interview, Note, QuestionState, held
from heard.studies.models import ValidationPoint


def _counts(interviews: Q, questions: Q) -> list[Dependent]:
    asked = Interview.objects.filter(interviews).filter(held()).count()
    states = QuestionState.objects.filter(questions).count()
    notes = Note.objects.filter(questions).count()
    return [
        Dependent(asked, "held interview used it", "held interviews used it"),
        Dependent(states, "question state ticked in a call", "question states ticked in calls"),
        Dependent(notes, "note tied to its questions", "notes tied to its questions"),
    ]


def of_guide(guide: Model) -> list[Dependent]:
    return _counts(Q(guide=guide), Q(question__section__guide=guide))


def _saw(part: Section | Question) -> Q:
    """The interviews whose guide showed `part`: its call began once the part was there (a
    held interview with no start in Heard follows the guide as it stands)."""
    if part.created_at is None:
        return Q()
    return Q(started_at__isnull=True) | Q(started_at__gte=part.created_at)


def of_section(section: Model) -> list[Dependent]:
    assert isinstance(section, Section)
    return _counts(Q(_saw(section), guide=section.guide_id), Q(question__section=section))


def of_question(question: Model) -> list[Dependent]:
    assert isinstance(question, Question)
    return _counts(Q(_saw(question), guide=question.section.guide_id), Q(question=question))


def of_point(point: Model) -> list[Dependent]:
    """The highlights of transcripts marked as bearing on it."""
    marked = Note.objects.filter(points=point.pk, deleted_at__isnull=True).count()
    return [Dependent(marked, "highlight of a transcript", "highlights of transcripts")]


def register_all() -> None:
    register(ValidationPoint, of_point)
    register(Guide, of_guide)
    register(Section, of_section)
    register(Question, of_question)
