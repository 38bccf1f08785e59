"""Transcribing a recording in the background: start, cancel, retry and claim (the task's
work is `running.py`).

A transcription is a `Transcript` row (queued → running → ready, failed or cancelled) and a
task on the queue (`tasks.transcribe_recording`). The task **claims** the row with one
conditional update (`core.leases`): a queued row, or a running one whose claim was not
renewed for five minutes (its worker died). The claim is a token; every write of the run (each
segment, in a short transaction of its own, progress, the end) is made only while the row still
holds that token, so a run that was taken over, or whose worker comes back to life, writes
nothing more.
A run that takes over starts afresh: the dead run's segments go first. However often the
task runs, the interview ends with one transcript of the run.

A dead worker's claim is noticed when anyone looks (`revive_stalled`, called by the
interview page's transcripts card, which a running transcription has polled every few
seconds): the row goes back to the queue with a new task.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.accounts.models import User
from heard.core.leases import Lease
from heard.interviews.models import (
    Consent,
    Interview,
    Recording,
    Segment,
    Transcript,
    TranscriptSource,
    TranscriptStatus,
)
from heard.interviews.models.transcripts import UNFINISHED
from heard.interviews.transcripts.engine import (
    ModelError,
)
from heard.interviews.transcripts.engine.catalogue import resolve

logger = logging.getLogger(__name__)

# A run renews its claim with every segment and every progress report.
CLAIMS = Lease(Transcript, TranscriptStatus.QUEUED, TranscriptStatus.RUNNING)


class Refused(Exception):
    """The transcription cannot start; the message says why."""


def language_for(interview: Interview) -> str:
    """The interview's language, else its workspace's; "" to detect it."""
    return interview.transcript_language or interview.study.workspace.transcript_language


def refusal(interview: Interview, recording: Recording) -> str:
    """Why `recording` may not be transcribed now; "" when it may."""
    if interview.recording_consent == Consent.NO:
        return (
            "The participant declined to be recorded: their recording is not transcribed. "
            "Delete the recording, or record their later answer on the interview's consent "
            "page first."
        )
    if not recording.is_ready:
        return "The recording is not ready yet: wait until it can be played."
    try:
        resolve(settings.HEARD_WHISPER_MODEL)
    except ModelError as error:
        # Heard downloads no model by itself: say so before anyone starts, not after a failure.
        return f"Transcription needs its speech model on this machine. {error}"
    return ""


def start(interview: Interview, recording: Recording, user: User) -> Transcript:
    """Queue a transcription of `recording`; the one already queued or running if there is
    one. Refused with the reason otherwise."""
    reason = refusal(interview, recording)
    if reason:
        raise Refused(reason)
    with transaction.atomic():
        Recording.objects.select_for_update().filter(pk=recording.pk).first()
        unfinished = Transcript.objects.filter(recording=recording, status__in=UNFINISHED).first()
        if unfinished is not None:
            return unfinished
        transcript = Transcript.objects.create(
            interview=interview,
            recording=recording,
            source=TranscriptSource.TRANSCRIBED,
            language=language_for(interview),
            model=settings.HEARD_WHISPER_MODEL,
            total_seconds=recording.duration,
            created_by=user,
        )
        _enqueue(transcript.pk)
    transcript.refresh_from_db()  # a task run at once may have finished it already
    return transcript


def _enqueue(transcript_id: int) -> None:
    from heard.interviews.transcripts.tasks import transcribe_recording  # it imports this

    transcribe_recording.enqueue(transcript_id)


def cancel(transcript: Transcript) -> bool:
    """Stop a transcription: a queued one (or one whose worker died) at once, a running one
    at its next segment. False when it is not unfinished."""
    with transaction.atomic():
        stopped = Transcript.objects.filter(
            Q(status=TranscriptStatus.QUEUED) | CLAIMS.stalled(), pk=transcript.pk
        ).update(
            status=TranscriptStatus.CANCELLED,
            run_token="",
            finished_at=timezone.now(),
            failure_reason="",
        )
        if stopped:
            return True
        return bool(
            Transcript.objects.filter(pk=transcript.pk, status=TranscriptStatus.RUNNING).update(
                cancel_requested=True
            )
        )


def retry(transcript: Transcript) -> bool:
    """Queue a failed or cancelled transcription again, from the start."""
    if transcript.recording_id is None or transcript.source != TranscriptSource.TRANSCRIBED:
        return False
    with transaction.atomic():
        moved = Transcript.objects.filter(
            pk=transcript.pk,
            status__in=(TranscriptStatus.FAILED, TranscriptStatus.CANCELLED),
        ).update(
            status=TranscriptStatus.QUEUED,
            failure_reason="",
            cancel_requested=False,
            done_seconds=0.0,
            warnings=[],
            run_token="",
            finished_at=None,
        )
        if moved:
            Segment.objects.filter(transcript=transcript).delete()
            _enqueue(transcript.pk)
    return bool(moved)


def revive_stalled(interview: Interview | None = None, **_: Any) -> int:
    """Put the transcriptions whose worker died back on the queue: the interview's, when its
    page is looked at, or every one, as a worker starts (`core.worker.worker_starting`)."""
    rows = Transcript.objects.all() if interview is None else interview.transcripts.all()
    # Cancelled while its worker was gone: nobody will read the flag.
    rows.filter(CLAIMS.stalled(), cancel_requested=True).update(
        status=TranscriptStatus.CANCELLED, run_token="", finished_at=timezone.now()
    )
    return CLAIMS.revive(rows, _enqueue)


def claim(transcript_id: int) -> str | None:
    """Take the row for this run: its token, or None when another run holds it or it is
    not waiting (done, cancelled, deleted)."""
    return CLAIMS.claim(transcript_id, done_seconds=0.0)
