"""Recording an answer from the interview's consent page: before, during or after the call, in
the call, in writing, or confirmed afterwards. Each answer is a new record; a recording answer
also becomes the interview's own (`Interview.recording_consent`), which opens or shuts every
recording feature."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.interviews.consent import records
from heard.interviews.live.checks import lock
from heard.interviews.live.milestones import set_recording_answer
from heard.interviews.models import (
    ANSWERS,
    ConsentAnswer,
    ConsentRecord,
    ConsentTopic,
    ConsentWay,
    Interview,
    RecordingStatus,
)

# An answer may be dated this far past the server's clock (a laptop's clock runs ahead).
CLOCK_SKEW = datetime.timedelta(minutes=5)


class ConsentRefused(Exception):
    """An answer that cannot be recorded, with the reason to show."""


def record_answer(
    interview: Interview,
    by: User,
    topic: ConsentTopic,
    answer: ConsentAnswer,
    *,
    asked: str,
    way: ConsentWay,
    answered_at: datetime.datetime,
    asked_by: User | None = None,
    note: str = "",
) -> ConsentRecord:
    """Record the participant's answer, written down by `by`."""
    if answer not in ANSWERS[topic]:
        raise ConsentRefused(f"“{answer.label}” is not an answer to {topic.label.lower()}.")
    if answered_at > timezone.now() + CLOCK_SKEW:
        raise ConsentRefused("The answer cannot be dated in the future.")
    if not asked.strip():
        raise ConsentRefused("Say what the participant was asked.")
    with transaction.atomic():
        locked = lock(interview)
        if locked.is_cancelled:
            raise ConsentRefused("This interview is cancelled.")
        if topic == ConsentTopic.RECORDING and answer == ConsentAnswer.NO:
            kept = locked.recordings.exclude(status=RecordingStatus.FAILED).count()
            if kept:
                raise ConsentRefused(
                    f"This interview has {kept} recording{'s' if kept != 1 else ''}: a no "
                    "keeps none. Delete them first, then record the answer."
                )
        record = records.write(
            locked,
            topic,
            answer,
            asked=asked.strip(),
            way=way,
            asked_by=asked_by,
            recorded_by=by,
            answered_at=answered_at,
            note=note.strip(),
        )
        if topic == ConsentTopic.RECORDING:
            set_recording_answer(locked, by, answer, asked_by, answered_at)
    interview.recording_consent = locked.recording_consent
    return record
