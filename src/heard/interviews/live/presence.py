"""Who has the live screen of an interview open, across every server process.

Each process refreshes, in one statement, the presence rows of the screens it streams to
(every REFRESH); a row older than WINDOW means that person left. A screen that closes marks
its row as gone at once, so the others see the departure within a moment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from heard.interviews.models import Presence

REFRESH = timedelta(seconds=10)
WINDOW = REFRESH * 3


def touch(pairs: Iterable[tuple[int, int]]) -> None:
    """Mark each (interview id, user id) as present now."""
    now = timezone.now()
    rows = [
        Presence(interview_id=interview_id, user_id=user_id, last_seen=now)
        for interview_id, user_id in set(pairs)
    ]
    if rows:
        Presence.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["interview", "user"],
            update_fields=["last_seen"],
        )


def leave(interview_id: int, user_id: int) -> None:
    """The user closed their last screen of the interview in this process."""
    Presence.objects.filter(interview_id=interview_id, user_id=user_id).update(
        last_seen=timezone.now() - WINDOW
    )


def present_in(interview_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Who is present in each interview, by name (every id gets a list, maybe empty)."""
    ids = list(interview_ids)
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Presence.objects.filter(interview_id__in=ids, last_seen__gte=timezone.now() - WINDOW)
        .order_by("user__name", "user_id")
        .values_list("interview_id", "user_id", "user__name")
    )
    for interview_id, user_id, name in rows:
        people[interview_id].append({"id": user_id, "name": name})
    return {interview_id: people[interview_id] for interview_id in ids}


def present(interview_id: int) -> list[dict[str, Any]]:
    return present_in([interview_id])[interview_id]
