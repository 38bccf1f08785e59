"""The event log of a live call: appending an event, and an event as the screens get it.

An event is appended in the same transaction as the change it tells of, under the row lock on
the interview, so within one interview event ids are in commit order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heard.accounts.models import User
from heard.interviews.models import Interview, LiveEvent


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def append(interview: Interview, kind: str, payload: dict[str, Any], actor: User) -> LiveEvent:
    return LiveEvent.objects.create(interview=interview, kind=kind, payload=payload, actor=actor)


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
