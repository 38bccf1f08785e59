"""The event log of a live call: the kinds of event, appending one, and an event as the
screens get it.

An event is appended in the same transaction as the change it tells of, under the row lock on
the interview, so within one interview event ids are in commit order.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from heard.accounts.models import User
from heard.core.statements import column, table, written
from heard.interviews.models import Interview, LiveEvent


class EventKind(StrEnum):
    """What an event tells of, and so what its payload holds."""

    INTERVIEW = "interview"  # start, consent, intros, reserve or end: the whole interview
    NOTE = "note"  # a note saved, edited, deleted or restored: the whole note
    QUESTION = "question"  # a question's state: {"question": id, "status": status}
    QUEUE = "queue"  # a question queued for the team's reserve, or asked: the whole item


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


_FIELDS = ("interview", "kind", "payload", "actor", "created_at")


class NewEvent:
    """An event to append, as `LiveEvent.objects.create` would write it, by a statement
    written once: every save of a live call appends one (and nothing listens for the
    model's signals). `insert` is its INSERT, around a row source such as `VALUES ({})`."""

    def __init__(
        self, interview: Interview, kind: EventKind, payload: dict[str, Any], actor: User | None
    ) -> None:
        given = (interview.pk, kind.value, payload, actor.pk if actor else None, timezone.now())
        self.values = [
            LiveEvent._meta.get_field(name).get_db_prep_save(value, connection)  # type: ignore[union-attr]
            for name, value in zip(_FIELDS, given, strict=True)
        ]

    @staticmethod
    def insert(rows: str) -> str:
        """The INSERT around `rows`, a row source whose `{}` takes the values' placeholders."""
        return written(f"event insert {rows}", lambda c: _insert_sql(c, rows))


def _insert_sql(c: BaseDatabaseWrapper, rows: str) -> str:
    names = ", ".join(column(LiveEvent, name, c) for name in _FIELDS)
    source = rows.format(", ".join(["%s"] * len(_FIELDS)))
    return f"INSERT INTO {table(LiveEvent, c)} ({names}) {source}"


def append(interview: Interview, kind: EventKind, payload: dict[str, Any], actor: User) -> None:
    event = NewEvent(interview, kind, payload, actor)
    with connection.cursor() as cursor:
        cursor.execute(event.insert("VALUES ({})"), event.values)


def forget_note_words(interview: Interview, note_id: str) -> None:
    """Blank the words in the note's earlier events: the log keeps no copy of words a note no
    longer has (edited, deleted, redacted). Every event still says what changed; the latest
    of a note carries what it says now, which is all a screen replaying the log needs."""
    table = LiveEvent._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} SET payload = jsonb_set(payload, '{{text}}', '\"\"') "  # noqa: S608 - constant SQL
            "WHERE interview_id = %s AND kind = %s AND payload->>'id' = %s "
            "AND payload->>'text' <> ''"
        )
    else:
        sql = (
            f"UPDATE {table} SET payload = json_set(payload, '$.text', '') "  # noqa: S608 - constant SQL
            "WHERE interview_id = %s AND kind = %s AND json_extract(payload, '$.id') = %s "
            "AND json_extract(payload, '$.text') <> ''"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [interview.pk, EventKind.NOTE.value, note_id])


def event_json(event: LiveEvent) -> dict[str, Any]:
    """An event read by `reads.events_after_each` (which brings its actor's name along)."""
    actor_name = getattr(event, "actor_name", None)
    return {
        "id": event.pk,
        "kind": event.kind,
        "payload": event.payload,
        "actor": {"id": event.actor_id, "name": actor_name} if event.actor_id else None,
        "at": iso(event.created_at),
    }
