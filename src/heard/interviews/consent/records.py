"""Writing and reading consent records, beneath every path that records an answer: the live
call's kickoff, the interview's consent page, and a recording added with the uploader's
confirmation."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.models import (
    ConsentAnswer,
    ConsentRecord,
    ConsentTopic,
    ConsentWay,
    Interview,
)
from heard.participants.models import Participant

CONFIRMED_ASKED = "Confirmed when adding a recording: the participant agreed to be recorded."


def write(
    interview: Interview,
    topic: ConsentTopic,
    answer: ConsentAnswer,
    *,
    asked: str,
    way: ConsentWay,
    asked_by: User | None,
    recorded_by: User | None,
    answered_at: datetime.datetime | None = None,
    note: str = "",
) -> ConsentRecord:
    """A new record; the caller holds the interview's row lock and keeps the interview's own
    recording answer in step."""
    now = timezone.now()
    return ConsentRecord.objects.create(
        interview=interview,
        topic=topic,
        answer=answer,
        asked=asked,
        way=way,
        note=note,
        asked_by=asked_by,
        answered_at=answered_at or now,
        recorded_by=recorded_by,
        recorded_at=now,
    )


def history(interview: Interview) -> QuerySet[ConsentRecord]:
    """Every answer of the interview, the latest first."""
    return interview.consents.select_related("asked_by", "recorded_by").order_by(
        "-recorded_at", "-id"
    )


def current(records: list[ConsentRecord]) -> dict[str, ConsentRecord | None]:
    """The answer that holds for each topic (the latest recorded), of `records` read latest
    first; None for a topic never asked."""
    holding: dict[str, ConsentRecord | None] = dict.fromkeys(ConsentTopic.values)
    for record in records:
        if holding[record.topic] is None:
            holding[record.topic] = record
    return holding


def of_participant(participant: Participant) -> QuerySet[ConsentRecord]:
    """Every answer the participant gave, interview by interview (newest interview first),
    the latest of each first."""
    return (
        ConsentRecord.objects.filter(interview__participant=participant)
        .select_related("interview__study", "asked_by", "recorded_by")
        .order_by("-interview__starts_at", "interview_id", "-recorded_at", "-id")
    )
