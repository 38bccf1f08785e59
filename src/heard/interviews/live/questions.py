"""Where the guide's questions stand (last write wins), and the questions guests queue for
the team's reserve."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.live.checks import LiveError, lock, parse_int, question_of, writable
from heard.interviews.live.events import EventKind, append
from heard.interviews.live.state import queued_json
from heard.interviews.models import Interview, QuestionState, QuestionStatus, QueuedQuestion


@transaction.atomic
def set_question_status(interview: Interview, actor: User, raw_question: Any, status: Any) -> str:
    """Last write wins: every screen shows the state of the latest event."""
    if status not in QuestionStatus.values:
        raise LiveError("Unknown question state.")
    locked = lock(interview)
    writable(locked)
    question = question_of(locked, raw_question)
    if question is None:
        raise LiveError("Which question?")
    QuestionState.objects.update_or_create(
        interview=locked, question=question, defaults={"status": status, "updated_by": actor}
    )
    append(locked, EventKind.QUESTION, {"question": question.pk, "status": status}, actor)
    return status


@transaction.atomic
def queue_question(interview: Interview, author: User, text: Any) -> QueuedQuestion:
    if not isinstance(text, str) or not text.strip():
        raise LiveError("Type the question to keep for the team's reserve.")
    if len(text) > 1000:
        raise LiveError("A queued question holds at most 1,000 characters.")
    locked = lock(interview)
    writable(locked)
    item = QueuedQuestion.objects.create(interview=locked, author=author, text=text.strip())
    append(locked, EventKind.QUEUE, queued_json(item), author)
    return item


@transaction.atomic
def mark_queued_asked(interview: Interview, actor: User, raw_id: Any) -> QueuedQuestion:
    locked = lock(interview)
    writable(locked)
    item = QueuedQuestion.objects.filter(pk=parse_int(raw_id, "question"), interview=locked).first()
    if item is None:
        raise LiveError("No such queued question.")
    if item.asked_at is None:
        item.asked_at = timezone.now()
        item.save(update_fields=["asked_at"])
        append(locked, EventKind.QUEUE, queued_json(item), actor)
    return item
