"""What every change to a live call checks first: the refusals it raises, the row lock on the
interview, whether the call still takes changes, and the ids that come from browsers."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from heard.core.archiving import shown_at
from heard.core.statements import column, for_update, table, written
from heard.guides.models import Question
from heard.interviews.models import Interview, InterviewStatus


class LiveError(Exception):
    """A change the live call refuses, with the reason to show (HTTP 400)."""

    status = 400


class Conflict(LiveError):
    """A note id that belongs to another interview or another author (HTTP 409)."""

    status = 409


def lock(interview: Interview) -> Interview:
    return (
        Interview.objects.select_related("consent_asked_by")
        .select_for_update(of=("self",))
        .get(pk=interview.pk)
    )


def _lock_status_sql(c: BaseDatabaseWrapper) -> str:
    return (
        f"SELECT {column(Interview, 'status', c)} "  # noqa: S608 - names from the model
        f"FROM {table(Interview, c)} WHERE id = %s{for_update(c)}"
    )


def lock_status(interview: Interview) -> Interview:
    """Lock the interview's row and read its status only: what a note's save needs, on the
    path taken most often during a call."""
    with connection.cursor() as cursor:
        cursor.execute(written("lock status", _lock_status_sql), [interview.pk])
        row = cursor.fetchone()
    if row is None:
        raise Interview.DoesNotExist
    interview.status = row[0]
    return interview


def writable(interview: Interview) -> None:
    if interview.status in (InterviewStatus.DONE, InterviewStatus.CANCELLED):
        raise LiveError(f"This interview is {interview.get_status_display().lower()}.")


def notes_writable(interview: Interview) -> None:
    """Notes stay open to their authors after the end: a teammate's outbox may still hold
    some when someone presses End, and those must not be lost."""
    if interview.status == InterviewStatus.CANCELLED:
        raise LiveError("This interview is cancelled.")


def parse_uuid(raw: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError):
        raise LiveError(f"The {what} is not a valid id.") from None


def parse_int(raw: Any, what: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise LiveError(f"The {what} must be a number.") from None


def question_of(interview: Interview, raw: Any) -> Question | None:
    if raw in (None, ""):
        return None
    when = interview.started_at  # the guide as it stood when the call began
    question = (
        Question.objects.filter(pk=parse_int(raw, "question"), section__guide=interview.guide_id)
        .filter(shown_at(when), shown_at(when, "section__"))
        .first()
    )
    if question is None or interview.guide_id is None:
        raise LiveError("That question is not in this interview's guide.")
    return question
