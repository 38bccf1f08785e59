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

from heard.accounts.models import User
from heard.interviews.models import Interview, LiveEvent


class EventKind(StrEnum):
    """What an event tells of, and so what its payload holds."""

    INTERVIEW = "interview"  # start, consent, intros, reserve or end: the whole interview
    NOTE = "note"  # a note saved, edited, deleted or restored: the whole note
    QUESTION = "question"  # a question's state: {"question": id, "status": status}
    QUEUE = "queue"  # a question queued for the team's reserve, or asked: the whole item


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def append(
    interview: Interview, kind: EventKind, payload: dict[str, Any], actor: User
) -> LiveEvent:
    return LiveEvent.objects.create(interview=interview, kind=kind, payload=payload, actor=actor)


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
