"""Editing a part of a guide that held interviews saw: copy on write.

A held interview shows its guide as it stood when its call began (`core.archiving.shown_at`).
A section or question that no held interview saw (nothing rests on it: `core.dependents`) is
edited in place. One that held interviews saw is archived as it was, and a copy with the edits
takes its place in the guide as it stands, at the same position (a question moved to another
section goes to the end of that section). The held calls' question states and notes keep
pointing at the old one: its words, its section, its priority, its time and the validation
points it served, which the summary's candidate quotes follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from heard.core.dependents import dependents_of
from heard.core.ordering import next_position
from heard.guides.models import Guide, Question, Section
from heard.guides.services import save_question, touch
from heard.studies.models import ValidationPoint


def _as_new(part: Section | Question, when: datetime) -> None:
    """Make `part` (in memory) a new row, added at `when`, that the next save inserts."""
    part.pk = None
    part._state.adding = True
    part.archived_at = None
    part.created_at = when


@transaction.atomic
def revise_question(
    guide: Guide,
    question: Question,
    previous_section_id: int,
    points: Iterable[ValidationPoint],
) -> Question:
    """Save the edits of `question` (made in memory by the form, not saved yet) and the
    points it serves. Returns the question the guide has now: a new one when held interviews
    saw the old."""
    old = Question.objects.select_for_update().get(pk=question.pk)
    if not dependents_of(old):
        saved = save_question(guide, question, previous_section_id)
        saved.points.set(points)
        return saved
    now = timezone.now()
    old.archive(now)
    _as_new(question, now)
    if question.section_id != previous_section_id:
        question.position = next_position(question.section.questions.all())
    question.save()
    question.points.set(points)
    touch(guide)
    return question


@transaction.atomic
def revise_section(section: Section) -> Section:
    """Save the edits of `section` (title, purpose: made in memory by the form, not saved
    yet). Returns the section the guide has now: when held interviews saw the old one, a new
    one with copies of its questions, the old one archived with its own."""
    old = Section.objects.select_for_update().get(pk=section.pk)
    if not dependents_of(old):
        section.save()
        touch(section.guide)
        return section
    now = timezone.now()
    questions = list(old.questions.current().prefetch_related("points"))
    old.archive(now)
    old.questions.current().update(archived_at=now)
    _as_new(section, now)
    section.save()
    for question in questions:
        points = list(question.points.all())
        _as_new(question, now)
        question.section = section
        question.save()
        question.points.set(points)
    touch(section.guide)
    return section
