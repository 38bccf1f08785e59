"""Transcribing a recording in the background: start, cancel, retry, and the task's work.

A transcription is a `Transcript` row (queued → running → ready, failed or cancelled) and a
task on the queue (`tasks.transcribe_recording`). The task **claims** the row with one
conditional update: a queued row, or a running one whose claim was not renewed for `LEASE`
(its worker died). The claim is a token; every write of the run (each segment, in a short
transaction of its own, progress, the end) is made only while the row still holds that
token, so a run that was taken over, or whose worker comes back to life, writes nothing more.
A run that takes over starts afresh: the dead run's segments go first. However often the
task runs, the interview ends with one transcript of the run.

A dead worker's claim is noticed when anyone looks (`revive_stalled`, called by the
interview page's transcripts card, which a running transcription has polled every few
seconds): the row goes back to the queue with a new task.
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from heard.accounts.models import User
from heard.core import storage
from heard.interviews.models import (
    Consent,
    Interview,
    Recording,
    Redaction,
    Segment,
    Transcript,
    TranscriptSource,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.models.transcripts import UNFINISHED
from heard.interviews.signals import changed
from heard.interviews.transcripts import store
from heard.interviews.transcripts.document import Segment as DocumentSegment
from heard.interviews.transcripts.engine import (
    ModelError,
    TranscriptionCancelled,
    TranscriptionError,
    diarize,
    transcribe,
)
from heard.interviews.transcripts.engine.audio import mono_wav
from heard.interviews.transcripts.engine.catalogue import resolve
from heard.interviews.transcripts.engine.diarize import Turn
from heard.interviews.transcripts.engine.probe import probe
from heard.interviews.transcripts.imports import supersede

logger = logging.getLogger(__name__)

# A run renews its claim with every segment and every progress report (at least every few
# seconds of work); one not renewed for this long belongs to a worker that died.
LEASE = timedelta(minutes=5)
PROGRESS_EVERY = 2.0  # seconds between saves of the progress
CANCEL_EVERY = 1.0  # seconds between looks at the cancel flag
HEARTBEAT_SECONDS = 30.0  # while a diarizer works: how often the claim is renewed
REASON_LENGTH = 500


class Refused(Exception):
    """The transcription cannot start; the message says why."""


class _Overtaken(Exception):
    """This run's claim is gone: another run took the row over, or it was deleted."""


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
            Q(status=TranscriptStatus.QUEUED) | _stalled(), pk=transcript.pk
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


def _stalled() -> Q:
    lease_ended = timezone.now() - LEASE
    return Q(status=TranscriptStatus.RUNNING) & (
        Q(heartbeat_at__lt=lease_ended) | Q(heartbeat_at__isnull=True)
    )


def revive_stalled(interview: Interview | None = None, **_: Any) -> int:
    """Put the transcriptions whose worker died back on the queue: the interview's, when its
    page is looked at, or every one, as a worker starts (`core.worker.worker_starting`)."""
    revived = 0
    stalled = Transcript.objects.filter(_stalled())
    if interview is not None:
        stalled = stalled.filter(interview=interview)
    for pk in stalled.values_list("pk", flat=True):
        with transaction.atomic():
            if (
                Transcript.objects.filter(_stalled(), pk=pk)
                .exclude(cancel_requested=True)
                .update(status=TranscriptStatus.QUEUED, run_token="")
            ):
                _enqueue(pk)
                revived += 1
            else:  # cancelled while its worker was gone: nobody will read the flag
                Transcript.objects.filter(_stalled(), pk=pk).update(
                    status=TranscriptStatus.CANCELLED, run_token="", finished_at=timezone.now()
                )
    return revived


def claim(transcript_id: int) -> str | None:
    """Take the row for this run: its token, or None when another run holds it or it is
    not waiting (done, cancelled, deleted)."""
    token = uuid.uuid4().hex
    now = timezone.now()
    taken = Transcript.objects.filter(
        Q(status=TranscriptStatus.QUEUED) | _stalled(), pk=transcript_id
    ).update(
        status=TranscriptStatus.RUNNING,
        run_token=token,
        heartbeat_at=now,
        started_at=now,
        attempts=F("attempts") + 1,
        done_seconds=0.0,
    )
    return token if taken else None


def run(transcript_id: int) -> str:
    """The background task's whole job: claim the row, transcribe its recording, keep the
    segments as they come. Returns the status it ends in ("busy" when another run holds it)."""
    token = claim(transcript_id)
    if token is None:
        status = (
            Transcript.objects.filter(pk=transcript_id).values_list("status", flat=True).first()
        )
        return "gone" if status is None else "busy" if status in UNFINISHED else status
    transcript = Transcript.objects.select_related("interview", "recording").get(pk=transcript_id)
    run = _Run(transcript, token)
    try:
        run.clear()
        recording = transcript.recording
        if recording is None or not recording.original.name:
            raise TranscriptionError("The recording was deleted.")
        with storage.local_copy(recording.original.name) as source:
            document = transcribe(
                source,
                model=transcript.model or None,
                language=transcript.language or None,
                on_segment=run.segment,
                on_progress=run.progress,
                cancel=run.cancelled,
            )
            warnings = [*document.warnings, *run.diarize(source)]
    except _Overtaken:
        return "overtaken"
    except TranscriptionCancelled:
        return run.finish(TranscriptStatus.CANCELLED)
    except TranscriptionError as error:
        return run.finish(TranscriptStatus.FAILED, reason=str(error))
    except Exception as error:
        logger.exception("Transcribing transcript %s failed", transcript_id)
        return run.finish(TranscriptStatus.FAILED, reason=f"Unexpected error: {error}")
    return run.finish(TranscriptStatus.READY, language=document.language[:8], warnings=warnings)


class _Run:
    """One run's writes, each made only while the row still holds the run's token."""

    def __init__(self, transcript: Transcript, token: str) -> None:
        self.transcript = transcript
        self.token = token
        self.count = 0
        self.speakers: dict[str, TranscriptSpeaker] = {}
        self.saved_at = 0.0
        self.looked_at = 0.0
        self.cancel = False
        self.done = 0.0
        self.total: float | None = transcript.total_seconds

    def _mine(self, **changes: Any) -> None:
        """Renew the claim (and save `changes`) under the row's lock; _Overtaken if gone."""
        held = Transcript.objects.filter(
            pk=self.transcript.pk, run_token=self.token, status=TranscriptStatus.RUNNING
        ).update(heartbeat_at=timezone.now(), **changes)
        if not held:
            raise _Overtaken

    def clear(self) -> None:
        """A run starts afresh: what a dead run kept goes."""
        with transaction.atomic():
            self._mine()
            Segment.objects.filter(transcript=self.transcript).delete()

    def segment(self, segment: DocumentSegment) -> None:
        label = store.label_of(segment.speaker)
        with transaction.atomic():
            self._mine(done_seconds=max(self.done, segment.end or 0.0))
            if label and label not in self.speakers:
                self.speakers.update(store.speakers_for(self.transcript.interview, [label]))
            silenced = Redaction.objects.silenced(self.transcript.recording_id)
            store.segment_row(self.transcript, self.count, segment, self.speakers, silenced).save()
        self.count += 1

    def diarize(self, source: Path) -> list[str]:
        """Tell the speakers of a one-channel mix apart where a diarizer is configured
        (`engine/diarize.py`): each line takes the voice it overlaps most. Returns the
        warnings to keep; the transcript stands without speakers whatever goes wrong."""
        rows = list(Segment.objects.filter(transcript=self.transcript).order_by("index"))
        if not rows or any(row.speaker_id for row in rows):
            return []  # nothing said, or its channels carry a speaker each
        try:
            diarizer = diarize.configured()
            if diarizer is None:
                return []
            with tempfile.TemporaryDirectory(dir=storage.scratch_folder()) as folder:
                sound = mono_wav(source, probe(source), Path(folder) / "mono.wav")
                turns = self._while_held(lambda: diarizer.turns(sound))
            if turns is None:
                return ["The speakers were not told apart: cancelled."]
        except _Overtaken:
            raise
        except diarize.DiarizationUnavailable as reason:
            return [f"The speakers were not told apart: {reason}."]
        except Exception as error:
            logger.exception("Diarizing transcript %s failed", self.transcript.pk)
            return [f"The speakers were not told apart: the diarizer failed ({error})."]
        spans = [
            (
                None if row.start_ms is None else row.start_ms / 1000,
                None if row.end_ms is None else row.end_ms / 1000,
            )
            for row in rows
        ]
        labels = diarize.labels_for(spans, turns)
        with transaction.atomic():
            self._mine()
            speakers = store.speakers_for(self.transcript.interview, labels)
            for row, label in zip(rows, labels, strict=True):
                row.speaker = speakers.get(label)
            Segment.objects.bulk_update(rows, ["speaker"])
        return []

    def _while_held(self, work: Callable[[], list[Turn]]) -> list[Turn] | None:
        """Run `work` (minutes of a diarizer) while renewing the claim, so that no other
        run takes the job over meanwhile; None when someone cancels it."""
        pool = ThreadPoolExecutor(max_workers=1)
        try:
            running = pool.submit(work)
            while True:
                try:
                    return running.result(timeout=HEARTBEAT_SECONDS)
                except FutureTimeout:
                    self._mine()
                    self.looked_at = 0.0  # look at the flag now
                    if self.cancelled():
                        return None
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def progress(self, done: float, total: float) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self.saved_at >= PROGRESS_EVERY or done >= total:
            self.saved_at = now
            self._mine(done_seconds=done, total_seconds=total)

    def cancelled(self) -> bool:
        now = time.monotonic()
        if now - self.looked_at >= CANCEL_EVERY:
            self.looked_at = now
            self.cancel = bool(
                Transcript.objects.filter(pk=self.transcript.pk, cancel_requested=True).exists()
            )
        return self.cancel

    def finish(
        self,
        status: TranscriptStatus,
        *,
        reason: str = "",
        language: str = "",
        warnings: list[str] | None = None,
    ) -> str:
        changes: dict[str, Any] = {
            "status": status,
            "failure_reason": reason[:REASON_LENGTH],
            "finished_at": timezone.now(),
            "cancel_requested": False,
            "run_token": "",
        }
        if status == TranscriptStatus.READY:
            changes.update(warnings=warnings or [], done_seconds=self.total or self.done)
            if language:
                changes["language"] = language
        with transaction.atomic():
            finished = Transcript.objects.filter(
                pk=self.transcript.pk, run_token=self.token, status=TranscriptStatus.RUNNING
            ).update(**changes)
            if not finished:
                return "overtaken"
            if status == TranscriptStatus.READY:
                supersede(self.transcript)
                changed(self.transcript.interview_id)
        return status
