"""Reading a live call: the events after a cursor (written out in SQL), the notes, the
wrap-up."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Max, QuerySet

from heard.accounts.models import User
from heard.core.archiving import shown_at
from heard.guides.models import CallStep, Question, QuestionPriority
from heard.interviews.live.budget import elapsed_seconds
from heard.interviews.live.events import event_json
from heard.interviews.models import (
    Interview,
    LiveEvent,
    Note,
    NoteKind,
    NoteSource,
    QuestionStatus,
)
from heard.interviews.services import solution_requests

EVENTS_PER_ANSWER = 500


def latest_event_id(interview_id: int) -> int:
    return LiveEvent.objects.filter(interview_id=interview_id).aggregate(top=Max("id"))["top"] or 0


def events_after(interview: Interview, cursor: int) -> list[dict[str, Any]]:
    return events_after_each({interview.pk: cursor}).get(interview.pk, [])


def events_after_each(cursors: dict[int, int]) -> dict[int, list[dict[str, Any]]]:
    """For each interview id, its events after its own cursor, in one query for all of them.

    Each interview has its own cursor because ids are only in commit order within one
    interview (its writes queue on a row lock), not across interviews. The query is written
    out because the server's event hub asks it several times a second for every followed
    interview: an index range scan per interview, and no query building in Python.
    """
    if not cursors:
        return {}
    quote = connection.ops.quote_name
    rows = ", ".join(["(CAST(%s AS BIGINT), CAST(%s AS BIGINT))"] * len(cursors))
    params: list[int] = [number for pair in cursors.items() for number in pair]
    # Only quoted names, numbers and placeholders go into the text.
    sql = (
        f"WITH followed (interview_id, after_id) AS (VALUES {rows}) "  # noqa: S608
        f"SELECT e.{quote('id')}, e.{quote('interview_id')}, e.{quote('kind')}, "
        f"e.{quote('payload')}, e.{quote('actor_id')}, e.{quote('created_at')}, "
        f"u.{quote('name')} AS actor_name "
        f"FROM {quote(LiveEvent._meta.db_table)} e "
        f"JOIN followed f ON e.{quote('interview_id')} = f.interview_id "
        f"AND e.{quote('id')} > f.after_id "
        f"LEFT JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = e.{quote('actor_id')} "
        f"ORDER BY e.{quote('id')} LIMIT {EVENTS_PER_ANSWER:d}"
    )
    by_interview: dict[int, list[dict[str, Any]]] = {}
    for event in LiveEvent.objects.raw(sql, params):
        by_interview.setdefault(event.interview_id, []).append(event_json(event))
    return by_interview


def live_notes(interview: Interview) -> QuerySet[Note]:
    """The notes typed during the call (highlights of the transcript are not the call's)."""
    return (
        interview.notes.filter(source=NoteSource.CALL)
        .select_related("author", "question")
        .order_by("elapsed_seconds", "created_at")
    )


def recorded_steps(interview: Interview) -> set[str]:
    """The steps of the call it has recorded (`CallStep`): a question they answer counts as
    answered, ticked or not (the consent was asked, the promise was made)."""
    recorded = {
        CallStep.CONSENT: bool(interview.recording_consent),
        CallStep.INTROS: interview.intros_started_at is not None,
        CallStep.FOLLOW_UP: interview.promised_follow_up,
    }
    return {step for step, done in recorded.items() if done}


def questions_as_held(interview: Interview) -> list[Question]:
    """The guide's questions as they stood when the call began (parts archived since are
    still there, parts added since are not), with their sections and points, in order."""
    if not interview.guide_id:
        return []
    return list(
        Question.objects.filter(section__guide=interview.guide_id)
        .filter(shown_at(interview.started_at), shown_at(interview.started_at, "section__"))
        .select_related("section")
        .prefetch_related("points")
        .order_by("section__position", "position", "id")
    )


def coverage_of(interview: Interview, questions: list[Question]) -> dict[str, Any]:
    """How many of the guide's `questions` (as held) ended in each state, a question the
    call answered by itself counting as answered, and the must-ask ones not asked."""
    states = dict(interview.question_states.values_list("question_id", "status"))
    coverage: dict[str, Any] = {
        "must_missed": [],
        **{status: 0 for status in QuestionStatus.values},
    }
    recorded = recorded_steps(interview)
    for question in questions:
        status = states.get(question.pk, QuestionStatus.OPEN)
        if question.answered_by in recorded and status != QuestionStatus.COVERED:
            status = QuestionStatus.ANSWERED
        coverage[status] += 1
        done = status in (QuestionStatus.ANSWERED, QuestionStatus.COVERED)
        if question.priority == QuestionPriority.MUST and not done:
            coverage["must_missed"].append(question)
    return coverage


def wrapup_for(interview: Interview) -> dict[str, Any]:
    """What the end of the call shows: coverage, time against the plan, notes by kind."""
    questions = questions_as_held(interview)
    coverage = coverage_of(interview, questions)
    notes = [note for note in live_notes(interview) if note.deleted_at is None]
    by_kind = [
        (label, [note for note in notes if note.kind == kind]) for kind, label in NoteKind.choices
    ]
    used_min = round(elapsed_seconds(interview) / 60)
    return {
        "coverage": coverage,
        "time": {
            "planned_min": interview.length_minutes,
            "used_min": used_min,
            "over_min": max(0, used_min - interview.length_minutes),
        },
        "notes_by_kind": [(label, group) for label, group in by_kind if group],
        "follow_ups": [note for note in notes if note.kind == NoteKind.FOLLOW_UP],
        "requests": solution_requests(notes),
        "queued_open": list(interview.queued_questions.filter(asked_at__isnull=True)),
        "sections": _by_section(questions),
    }


def _by_section(questions: list[Question]) -> list[tuple[str, list[Question]]]:
    """The guide's questions under their sections' titles, in order: what a note may be tied
    to."""
    sections: dict[int, tuple[str, list[Question]]] = {}
    for question in questions:
        sections.setdefault(question.section_id, (question.section.title, []))[1].append(question)
    return list(sections.values())
