"""Notes that are never lost or doubled: the browser gives each note its id, and saving the
same note again changes nothing. Deleting is soft, so that Undo can bring a note back."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_save
from django.utils import timezone

from heard.accounts.models import User
from heard.core.statements import Columns, column, columns, for_update, table, written
from heard.interviews.live import events
from heard.interviews.live.checks import (
    Conflict,
    LiveError,
    lock,
    lock_status,
    notes_writable,
    parse_int,
    parse_uuid,
    question_of,
    writable,
)
from heard.interviews.live.events import EventKind, append, forget_note_words
from heard.interviews.live.state import note_json
from heard.interviews.models import (
    MAX_WHYS,
    NOTE_MAX_LENGTH,
    Interview,
    InterviewStatus,
    Note,
    NoteKind,
    NoteSource,
)
from heard.interviews.signals import changed


def noted(interview: Interview, note: Note, actor: User, *, new: bool = False) -> None:
    """A note changed: its event for every screen (the earlier ones forget their words; a
    deleted note's carries none; a `new` note has none before), and, once the call is over,
    word to the later stages that read the call's notes."""
    if not new:
        forget_note_words(interview, str(note.pk))
    payload = note_json(note)
    if note.deleted_at is not None:
        payload["text"] = ""
    append(interview, EventKind.NOTE, payload, actor)
    if interview.status == InterviewStatus.DONE:
        changed(interview.pk)


def _ladder_of(interview: Interview, raw: Any, kind: str, note_id: uuid.UUID) -> Note | None:
    if raw in (None, ""):
        return None
    request = Note.objects.filter(
        pk=parse_uuid(raw, "solution request"), interview=interview
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
    elapsed = parse_int(data.get("elapsed_seconds", 0), "time stamp")
    if not 0 <= elapsed <= 24 * 3600:
        raise LiveError("The time stamp is outside the interview.")
    return kind, text, elapsed


_NOTE = Columns(Note, "n")


def _locked_note_sql(c: BaseDatabaseWrapper) -> str:
    return (
        f"SELECT {_NOTE.sql(c)} FROM {table(Note, c)} n "  # noqa: S608 - names from the model
        f"WHERE n.id = %s{for_update(c)}"
    )


def _locked_note(note_id: uuid.UUID) -> Note | None:
    """`Note.objects.select_for_update().filter(pk=note_id).first()`, by a statement written
    once (every save of a live call looks its note up)."""
    pk = Note._meta.pk.get_db_prep_value(note_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(written("note lookup", _locked_note_sql), [pk])
        row = cursor.fetchone()
    return None if row is None else _NOTE.make(row, connection)


def _new_note_at_once(interview: Interview, note: Note) -> Note | None:
    """A new note with no question or ladder during the call, the save made most often: the
    interview's row locked, the note inserted unless its id exists, and its event appended,
    in one statement on PostgreSQL (one round trip, its own transaction) and in one short
    transaction of plain statements on SQLite. Then `post_save`, as `Note.objects.create`
    sends it. None, having written nothing, when the id exists or the call is over or
    cancelled: the full path then decides."""
    note.interview = interview
    note.created_at = note.updated_at = timezone.now()
    event = events.NewEvent(interview, EventKind.NOTE, note_json(note), note.author)
    note_values = [
        field.get_db_prep_save(getattr(note, field.attname), connection) for field in _NOTE.fields
    ]
    if connection.vendor == "postgresql":
        created = _insert_in_one_statement(interview, note_values, event)
    else:
        created = _insert_in_one_transaction(interview, note_values, event)
    if not created:
        return None
    note._state.adding = False
    note._state.db = connection.alias
    post_save.send(
        sender=Note,
        instance=note,
        created=True,
        update_fields=None,
        raw=False,
        using=connection.alias,
    )
    return note


_OPEN = (InterviewStatus.SCHEDULED.value, InterviewStatus.LIVE.value)


def _note_insert(c: BaseDatabaseWrapper, values: str) -> str:
    return (
        f"INSERT INTO {table(Note, c)} ({columns(_NOTE.fields, c)}) {values} ON CONFLICT DO NOTHING"
    )


def _placeholders() -> str:
    return ", ".join(["%s"] * len(_NOTE.fields))


def _one_statement_sql(c: BaseDatabaseWrapper) -> str:
    status = column(Interview, "status", c)
    rows = f"SELECT {_placeholders()} FROM locked WHERE {status} IN (%s, %s)"  # noqa: S608 - no values
    return (
        f"WITH locked AS (SELECT {status} FROM {table(Interview, c)} "  # noqa: S608 - names from the models
        "WHERE id = %s FOR UPDATE), "
        f"note AS ({_note_insert(c, rows)} RETURNING id), "
        f"event AS ({events.NewEvent.insert('SELECT {} FROM note')} RETURNING id) "
        "SELECT count(*) FROM event"
    )


def _insert_in_one_statement(
    interview: Interview, note_values: list[Any], event: events.NewEvent
) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            written("new note at once", _one_statement_sql),
            [interview.pk, *note_values, *_OPEN, *event.values],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


@transaction.atomic
def _insert_in_one_transaction(
    interview: Interview, note_values: list[Any], event: events.NewEvent
) -> bool:
    if lock_status(interview).status not in _OPEN:
        return False
    sql = written("new note", lambda c: _note_insert(c, f"VALUES ({_placeholders()})"))
    with connection.cursor() as cursor:
        cursor.execute(sql, note_values)
        if cursor.rowcount != 1:
            return False
        cursor.execute(event.insert("VALUES ({})"), event.values)
    return True


def save_note(interview: Interview, author: User, data: dict[str, Any]) -> tuple[Note, bool]:
    """Create or update the note with the browser-made id; saving it again changes nothing.

    Returns the note and whether anything changed. An id of another interview's note, or of
    another author's, is refused: ids come from browsers and cannot be trusted.
    """
    note_id = parse_uuid(data.get("id"), "note")
    kind, text, elapsed = clean_note_fields(data)
    if data.get("question") in (None, "") and data.get("ladder_of") in (None, ""):
        note = _new_note_at_once(
            interview,
            Note(id=note_id, author=author, kind=kind, text=text, elapsed_seconds=elapsed),
        )
        if note is not None:
            return note, True
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
    locked = lock_status(interview)
    notes_writable(locked)
    question = question_of(locked, data.get("question"))
    ladder_of = _ladder_of(locked, data.get("ladder_of"), kind, note_id)
    note = _locked_note(note_id)
    new = note is None
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
        if (
            note.interview_id != locked.pk
            or note.author_id != author.pk
            or note.source != NoteSource.CALL  # a highlight keeps the transcript's words
        ):
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
    noted(locked, note, author, new=new)
    return note, True


@transaction.atomic
def set_note_deleted(interview: Interview, author: User, raw_id: Any, *, deleted: bool) -> Note:
    """Delete a note (softly, so that Undo can bring it back) or restore it."""
    locked = lock(interview)
    writable(locked)
    note = (
        Note.objects.select_for_update()
        .filter(pk=parse_uuid(raw_id, "note"), interview=locked, source=NoteSource.CALL)
        .first()
    )
    if note is None:
        raise LiveError("No such note in this interview.")
    if note.author_id != author.pk:
        raise Conflict("Only its author can delete or restore a note.")
    if (note.deleted_at is not None) != deleted:
        note.deleted_at = timezone.now() if deleted else None
        note.save(update_fields=["deleted_at", "updated_at"])
        noted(locked, note, author)
    return note


@transaction.atomic
def set_note_question(interview: Interview, actor: User, raw_id: Any, raw_question: Any) -> Note:
    """Tie a note to another question of the guide (or to none), after the call as during it:
    the question on screen when a note was typed is not always the one it answers. The note's
    words stay as they are; any researcher may do it, not only its author (the team sorts its
    notes together once the call is over), and it is an event like every change to a note."""
    locked = lock(interview)
    notes_writable(locked)
    note = (
        Note.objects.select_for_update()
        .filter(
            pk=parse_uuid(raw_id, "note"),
            interview=locked,
            source=NoteSource.CALL,
            deleted_at__isnull=True,
        )
        .first()
    )
    if note is None:
        raise LiveError("No such note in this interview.")
    question = question_of(locked, raw_question)
    if note.question_id != (question.pk if question else None):
        note.question = question
        note.save(update_fields=["question", "updated_at"])
        noted(locked, note, actor)
    return note
