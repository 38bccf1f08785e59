"""The call's milestones: the start of the clock, the consent to record, the intros, the
team's reserve, the end. Each is written with an event that carries the whole interview."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.consent import records
from heard.interviews.live.checks import LiveError, lock, writable
from heard.interviews.live.events import EventKind, append
from heard.interviews.live.state import interview_json
from heard.interviews.models import (
    ASKED,
    Consent,
    ConsentAnswer,
    ConsentTopic,
    ConsentWay,
    Interview,
    InterviewStatus,
)
from heard.interviews.signals import after_commit, changed, interview_finished


def _touch_interview(interview: Interview, actor: User, *fields: str) -> dict[str, Any]:
    interview.save(update_fields=[*fields, "updated_at"])
    payload = interview_json(interview)
    append(interview, EventKind.INTERVIEW, payload, actor)
    return payload


@transaction.atomic
def start(interview: Interview, actor: User) -> dict[str, Any]:
    """Start the clock once; starting again changes nothing."""
    locked = lock(interview)
    if locked.started_at is not None:
        return interview_json(locked)
    writable(locked)
    locked.started_at = timezone.now()
    locked.status = InterviewStatus.LIVE
    return _touch_interview(locked, actor, "started_at", "status")


@transaction.atomic
def record_consent(interview: Interview, actor: User, answer: str) -> dict[str, Any]:
    """The participant's answer to the kickoff's question, asked in the call by `actor`."""
    if answer not in Consent.values:
        raise LiveError("Answer yes or no.")
    locked = lock(interview)
    writable(locked)
    records.write(
        locked,
        ConsentTopic.RECORDING,
        ConsentAnswer(answer),
        asked=ASKED[ConsentTopic.RECORDING],
        way=ConsentWay.IN_CALL,
        asked_by=actor,
        recorded_by=actor,
    )
    return set_recording_answer(locked, actor, answer, actor, timezone.now())


def set_recording_answer(
    locked: Interview,
    actor: User,
    answer: str,
    asked_by: User | None,
    at: datetime.datetime,
) -> dict[str, Any]:
    """Keep the interview's own recording answer (what every recording feature reads) in step
    with the record just written, with the event every change of the interview gets, so that
    a live screen shows it."""
    locked.recording_consent = answer
    locked.consent_asked_by = asked_by
    locked.consent_at = at
    return _touch_interview(locked, actor, "recording_consent", "consent_asked_by", "consent_at")


@transaction.atomic
def start_intros(interview: Interview, actor: User) -> dict[str, Any]:
    locked = lock(interview)
    writable(locked)
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
    locked = lock(interview)
    writable(locked)
    locked.team_reserve_minutes = value
    return _touch_interview(locked, actor, "team_reserve_minutes")


@transaction.atomic
def end(interview: Interview, actor: User, *, promised_follow_up: bool) -> dict[str, Any]:
    """Wrap up: the interview is done from now on; ending twice keeps the first end."""
    locked = lock(interview)
    if locked.status == InterviewStatus.CANCELLED:
        raise LiveError("This interview is cancelled.")
    now = timezone.now()
    if locked.status != InterviewStatus.DONE:
        after_commit(interview_finished, interview_id=locked.pk)
    locked.started_at = locked.started_at or now
    locked.ended_at = locked.ended_at or now
    locked.status = InterviewStatus.DONE
    locked.promised_follow_up = promised_follow_up
    changed(locked.pk)
    return _touch_interview(locked, actor, "started_at", "ended_at", "status", "promised_follow_up")


@transaction.atomic
def confirm_consent_afterwards(interview: Interview, actor: User) -> Interview:
    """Someone adding a recording confirms that the participant agreed to be recorded, where
    the call recorded no answer (it was not run in Heard, or nobody asked on screen): the
    answer becomes yes, by them, now, with the event every consent answer gets. Unlike
    `record_consent` this is allowed after the call."""
    locked = lock(interview)
    if locked.recording_consent:
        return locked
    records.write(
        locked,
        ConsentTopic.RECORDING,
        ConsentAnswer.YES,
        asked=records.CONFIRMED_ASKED,
        way=ConsentWay.AFTERWARDS,
        asked_by=actor,
        recorded_by=actor,
    )
    set_recording_answer(locked, actor, Consent.YES, actor, timezone.now())
    return locked
