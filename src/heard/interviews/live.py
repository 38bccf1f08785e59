"""Rules of the live call: the time budget, notes that are never lost or doubled, the event log.

Every change is written together with a LiveEvent in one transaction; screens follow the
log after a cursor, so several browsers and several server processes stay in step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from heard.accounts.models import User
from heard.guides.models import Question
from heard.interviews import presence
from heard.interviews.models import (
    MAX_WHYS,
    NOTE_MAX_LENGTH,
    Consent,
    Interview,
    InterviewStatus,
    LiveEvent,
    Note,
    NoteKind,
    QuestionState,
    QuestionStatus,
    QueuedQuestion,
)
from heard.interviews.services import solution_requests

EVENTS_PER_ANSWER = 500


class LiveError(Exception):
    """A change the live call refuses, with the reason to show (HTTP 400)."""

    status = 400


class Conflict(LiveError):
    """A note id that belongs to another interview or another author (HTTP 409)."""

    status = 409


# Time budget -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetState:
    part: str  # "conversation", "team", "customer" or "over"
    elapsed_s: int
    part_left_s: int
    total_left_s: int
    in_reserve: bool


@dataclass(frozen=True)
class Budget:
    """The planned length split into the conversation and the two reserves."""

    length_s: int
    team_reserve_s: int
    customer_reserve_s: int

    @property
    def conversation_s(self) -> int:
        return max(0, self.length_s - self.team_reserve_s - self.customer_reserve_s)

    def at(self, elapsed_s: int) -> BudgetState:
        elapsed_s = max(0, elapsed_s)
        ends = (
            ("conversation", self.conversation_s),
            ("team", self.conversation_s + self.team_reserve_s),
            ("customer", self.length_s),
        )
        for part, end in ends:
            if elapsed_s < end:
                return BudgetState(
                    part,
                    elapsed_s,
                    end - elapsed_s,
                    self.length_s - elapsed_s,
                    in_reserve=part != "conversation",
                )
        return BudgetState("over", elapsed_s, 0, self.length_s - elapsed_s, in_reserve=True)


def budget_for(interview: Interview) -> Budget:
    return Budget(
        length_s=interview.length_minutes * 60,
        team_reserve_s=interview.team_reserve_minutes * 60,
        customer_reserve_s=interview.customer_reserve_minutes * 60,
    )


def elapsed_seconds(interview: Interview, now: datetime | None = None) -> int:
    """Seconds since the server started the interview (0 before it starts)."""
    if interview.started_at is None:
        return 0
    end = interview.ended_at or now or timezone.now()
    return max(0, int((end - interview.started_at).total_seconds()))


# Serialising for the screens -------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def interview_json(interview: Interview) -> dict[str, Any]:
    budget = budget_for(interview)
    asker = interview.consent_asked_by
    return {
        "id": interview.pk,
        "status": interview.status,
        "started_at": _iso(interview.started_at),
        "ended_at": _iso(interview.ended_at),
        "now": timezone.now().isoformat(),
        "length_s": budget.length_s,
        "team_reserve_s": budget.team_reserve_s,
        "customer_reserve_s": budget.customer_reserve_s,
        "consent": interview.recording_consent,
        "consent_by": asker.name if asker else None,
        "consent_at": _iso(interview.consent_at),
        "intros_started_at": _iso(interview.intros_started_at),
        "promised_follow_up": interview.promised_follow_up,
    }


def person_json(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.name} if user else None


def note_json(note: Note) -> dict[str, Any]:
    return {
        "id": str(note.pk),
        "kind": note.kind,
        "kind_label": note.get_kind_display(),
        "text": note.text,
        "elapsed_seconds": note.elapsed_seconds,
        "question": note.question_id,
        "ladder_of": str(note.ladder_of_id) if note.ladder_of_id else None,
        "author": person_json(note.author),
        "deleted": note.deleted_at is not None,
        "created_at": _iso(note.created_at),
        "updated_at": _iso(note.updated_at),
    }


def queued_json(item: QueuedQuestion) -> dict[str, Any]:
    return {
        "id": item.pk,
        "text": item.text,
        "author": item.author.name if item.author else None,
        "asked": item.asked_at is not None,
    }


def event_json(event: LiveEvent) -> dict[str, Any]:
    """An event read by `events_after_each` (which brings its actor's name along)."""
    actor_name = getattr(event, "actor_name", None)
    return {
        "id": event.pk,
        "kind": event.kind,
        "payload": event.payload,
        "actor": {"id": event.actor_id, "name": actor_name} if event.actor_id else None,
        "at": _iso(event.created_at),
    }


def _append(interview: Interview, kind: str, payload: dict[str, Any], actor: User) -> LiveEvent:
    return LiveEvent.objects.create(interview=interview, kind=kind, payload=payload, actor=actor)


def _touch_interview(interview: Interview, actor: User, *fields: str) -> dict[str, Any]:
    interview.save(update_fields=[*fields, "updated_at"])
    payload = interview_json(interview)
    _append(interview, "interview", payload, actor)
    return payload


# The call's milestones -------------------------------------------------------------------------


def _lock(interview: Interview) -> Interview:
    return (
        Interview.objects.select_related("consent_asked_by")
        .select_for_update(of=("self",))
        .get(pk=interview.pk)
    )


def _lock_status(interview: Interview) -> Interview:
    """Lock the interview's row and read its status only: what a note's save needs, on the
    path taken most often during a call."""
    locked = Interview.objects.select_for_update().filter(pk=interview.pk)
    interview.status = locked.values_list("status", flat=True).get()
    return interview


def _writable(interview: Interview) -> None:
    if interview.status in (InterviewStatus.DONE, InterviewStatus.CANCELLED):
        raise LiveError(f"This interview is {interview.get_status_display().lower()}.")


def _notes_writable(interview: Interview) -> None:
    """Notes stay open to their authors after the end: a teammate's outbox may still hold
    some when someone presses End, and those must not be lost."""
    if interview.status == InterviewStatus.CANCELLED:
        raise LiveError("This interview is cancelled.")


@transaction.atomic
def start(interview: Interview, actor: User) -> dict[str, Any]:
    """Start the clock once; starting again changes nothing."""
    locked = _lock(interview)
    if locked.started_at is not None:
        return interview_json(locked)
    _writable(locked)
    locked.started_at = timezone.now()
    locked.status = InterviewStatus.LIVE
    return _touch_interview(locked, actor, "started_at", "status")


@transaction.atomic
def record_consent(interview: Interview, actor: User, answer: str) -> dict[str, Any]:
    if answer not in Consent.values:
        raise LiveError("Answer yes or no.")
    locked = _lock(interview)
    _writable(locked)
    locked.recording_consent = answer
    locked.consent_asked_by = actor
    locked.consent_at = timezone.now()
    return _touch_interview(locked, actor, "recording_consent", "consent_asked_by", "consent_at")


@transaction.atomic
def start_intros(interview: Interview, actor: User) -> dict[str, Any]:
    locked = _lock(interview)
    _writable(locked)
    locked.intros_started_at = timezone.now()
    return _touch_interview(locked, actor, "intros_started_at")


@transaction.atomic
def set_team_reserve(interview: Interview, actor: User, minutes: Any) -> dict[str, Any]:
    try:
        value = int(minutes)
    except (TypeError, ValueError):
        raise LiveError("The team's reserve is a number of minutes, 5 to 10.") from None
    if not 5 <= value <= 10:
        raise LiveError("The team's reserve is 5 to 10 minutes.")
    locked = _lock(interview)
    _writable(locked)
    locked.team_reserve_minutes = value
    return _touch_interview(locked, actor, "team_reserve_minutes")


@transaction.atomic
def end(interview: Interview, actor: User, *, promised_follow_up: bool) -> dict[str, Any]:
    """Wrap up: the interview is done from now on; ending twice keeps the first end."""
    locked = _lock(interview)
    if locked.status == InterviewStatus.CANCELLED:
        raise LiveError("This interview is cancelled.")
    now = timezone.now()
    locked.started_at = locked.started_at or now
    locked.ended_at = locked.ended_at or now
    locked.status = InterviewStatus.DONE
    locked.promised_follow_up = promised_follow_up
    return _touch_interview(locked, actor, "started_at", "ended_at", "status", "promised_follow_up")


# Notes -----------------------------------------------------------------------------------------


def _parse_uuid(raw: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError):
        raise LiveError(f"The {what} is not a valid id.") from None


def _question_of(interview: Interview, raw: Any) -> Question | None:
    if raw in (None, ""):
        return None
    question = Question.objects.filter(
        pk=_int(raw, "question"), section__guide=interview.guide_id
    ).first()
    if question is None or interview.guide_id is None:
        raise LiveError("That question is not in this interview's guide.")
    return question


def _int(raw: Any, what: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise LiveError(f"The {what} must be a number.") from None


def _ladder_of(interview: Interview, raw: Any, kind: str, note_id: uuid.UUID) -> Note | None:
    if raw in (None, ""):
        return None
    request = Note.objects.filter(
        pk=_parse_uuid(raw, "solution request"), interview=interview
    ).first()
    if request is None or request.kind != NoteKind.SOLUTION_REQUEST:
        raise LiveError("A why-ladder hangs from a solution request of this interview.")
    if kind == NoteKind.WHY:
        whys = request.ladder.filter(kind=NoteKind.WHY, deleted_at__isnull=True).exclude(pk=note_id)
        if whys.count() >= MAX_WHYS:
            raise LiveError(f"A why-ladder has at most {MAX_WHYS} whys: note the root pain now.")
    return request


def clean_note_fields(data: dict[str, Any]) -> tuple[str, str, int]:
    kind = data.get("kind") or NoteKind.NOTE
    if kind not in NoteKind.values:
        raise LiveError("Unknown kind of note.")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise LiveError("A note needs some text.")
    if len(text) > NOTE_MAX_LENGTH:
        raise LiveError(
            f"A note holds at most {NOTE_MAX_LENGTH:,} characters; this one has {len(text):,}."
        )
    elapsed = _int(data.get("elapsed_seconds", 0), "time stamp")
    if not 0 <= elapsed <= 24 * 3600:
        raise LiveError("The time stamp is outside the interview.")
    return kind, text, elapsed


def save_note(interview: Interview, author: User, data: dict[str, Any]) -> tuple[Note, bool]:
    """Create or update the note with the browser-made id; saving it again changes nothing.

    Returns the note and whether anything changed. An id of another interview's note, or of
    another author's, is refused: ids come from browsers and cannot be trusted.
    """
    note_id = _parse_uuid(data.get("id"), "note")
    kind, text, elapsed = clean_note_fields(data)
    try:
        with transaction.atomic():
            return _save_note(interview, author, note_id, kind, text, elapsed, data)
    except IntegrityError:
        # Two saves of a new note raced: the other one created it; this one updates it.
        with transaction.atomic():
            return _save_note(interview, author, note_id, kind, text, elapsed, data)


def _save_note(
    interview: Interview,
    author: User,
    note_id: uuid.UUID,
    kind: str,
    text: str,
    elapsed: int,
    data: dict[str, Any],
) -> tuple[Note, bool]:
    locked = _lock_status(interview)
    _notes_writable(locked)
    question = _question_of(locked, data.get("question"))
    ladder_of = _ladder_of(locked, data.get("ladder_of"), kind, note_id)
    note = Note.objects.select_for_update().filter(pk=note_id).order_by().first()
    if note is None:
        note = Note.objects.create(
            id=note_id,
            interview=locked,
            author=author,
            kind=kind,
            text=text,
            elapsed_seconds=elapsed,
            question=question,
            ladder_of=ladder_of,
        )
    else:
        if note.interview_id != locked.pk or note.author_id != author.pk:
            raise Conflict("That note id is taken.")
        unchanged = (
            note.kind == kind
            and note.text == text
            and note.question_id == (question.pk if question else None)
            and note.ladder_of_id == (ladder_of.pk if ladder_of else None)
        )
        if unchanged:
            return note, False
        note.kind, note.text, note.question, note.ladder_of = kind, text, question, ladder_of
        note.save(update_fields=["kind", "text", "question", "ladder_of", "updated_at"])
    _append(locked, "note", note_json(note), author)
    return note, True


@transaction.atomic
def set_note_deleted(interview: Interview, author: User, raw_id: Any, *, deleted: bool) -> Note:
    """Delete a note (softly, so that Undo can bring it back) or restore it."""
    locked = _lock(interview)
    _writable(locked)
    note = (
        Note.objects.select_for_update()
        .filter(pk=_parse_uuid(raw_id, "note"), interview=locked)
        .first()
    )
    if note is None:
        raise LiveError("No such note in this interview.")
    if note.author_id != author.pk:
        raise Conflict("Only its author can delete or restore a note.")
    if (note.deleted_at is not None) != deleted:
        note.deleted_at = timezone.now() if deleted else None
        note.save(update_fields=["deleted_at", "updated_at"])
        _append(locked, "note", note_json(note), author)
    return note


# Questions, queue, presence --------------------------------------------------------------------


@transaction.atomic
def set_question_status(interview: Interview, actor: User, raw_question: Any, status: Any) -> str:
    """Last write wins: every screen shows the state of the latest event."""
    if status not in QuestionStatus.values:
        raise LiveError("Unknown question state.")
    locked = _lock(interview)
    _writable(locked)
    question = _question_of(locked, raw_question)
    if question is None:
        raise LiveError("Which question?")
    QuestionState.objects.update_or_create(
        interview=locked, question=question, defaults={"status": status, "updated_by": actor}
    )
    _append(locked, "question", {"question": question.pk, "status": status}, actor)
    return status


@transaction.atomic
def queue_question(interview: Interview, author: User, text: Any) -> QueuedQuestion:
    if not isinstance(text, str) or not text.strip():
        raise LiveError("Type the question to keep for the team's reserve.")
    if len(text) > 1000:
        raise LiveError("A queued question holds at most 1,000 characters.")
    locked = _lock(interview)
    _writable(locked)
    item = QueuedQuestion.objects.create(interview=locked, author=author, text=text.strip())
    _append(locked, "queue", queued_json(item), author)
    return item


@transaction.atomic
def mark_queued_asked(interview: Interview, actor: User, raw_id: Any) -> QueuedQuestion:
    locked = _lock(interview)
    _writable(locked)
    item = QueuedQuestion.objects.filter(pk=_int(raw_id, "question"), interview=locked).first()
    if item is None:
        raise LiveError("No such queued question.")
    if item.asked_at is None:
        item.asked_at = timezone.now()
        item.save(update_fields=["asked_at"])
        _append(locked, "queue", queued_json(item), actor)
    return item


# Reading ---------------------------------------------------------------------------------------


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
    return interview.notes.select_related("author", "question").order_by(
        "elapsed_seconds", "created_at"
    )


def snapshot(interview: Interview, user: User, *, can_edit: bool) -> dict[str, Any]:
    """Everything a screen needs to start following the call."""
    sections = []
    if interview.guide_id:
        guide_sections = interview.guide.sections.prefetch_related(  # type: ignore[union-attr]
            "questions__points"
        )
        for section in guide_sections:
            sections.append(
                {
                    "id": section.pk,
                    "title": section.title,
                    "questions": [
                        {
                            "id": q.pk,
                            "text": q.text,
                            "priority": q.priority,
                            "minutes": q.minutes,
                            "follow_ups": q.follow_up_list,
                            "points": [p.label for p in q.points.all()],
                        }
                        for q in section.questions.all()
                    ],
                }
            )
    states = {
        str(qid): status
        for qid, status in interview.question_states.values_list("question_id", "status")
    }
    return {
        "interview": interview_json(interview),
        "me": {"id": user.pk, "name": user.name, "can_edit": can_edit},
        "sections": sections,
        "question_states": states,
        "notes": [note_json(note) for note in live_notes(interview)],
        "queued": [
            queued_json(item) for item in interview.queued_questions.select_related("author")
        ],
        "presence": presence.present(interview.pk),
        "cursor": latest_event_id(interview.pk),
    }


def wrapup_for(interview: Interview) -> dict[str, Any]:
    """What the end of the call shows: coverage, time against the plan, notes by kind."""
    states = dict(interview.question_states.values_list("question_id", "status"))
    questions = (
        list(
            Question.objects.filter(section__guide=interview.guide_id).order_by(
                "section__position", "position", "id"
            )
        )
        if interview.guide_id
        else []
    )
    coverage: dict[str, Any] = {
        "must_missed": [],
        **{status: 0 for status in QuestionStatus.values},
    }
    for question in questions:
        status = states.get(question.pk, QuestionStatus.OPEN)
        coverage[status] += 1
        done = status in (QuestionStatus.ANSWERED, QuestionStatus.COVERED)
        if question.priority == "must" and not done:
            coverage["must_missed"].append(question)
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
    }
