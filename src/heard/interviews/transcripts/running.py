"""A transcription's run, the background task's work (`tasks.transcribe_recording`): it claims
the row (`jobs.claim`), transcribes the recording and keeps each segment as it comes, every
write made only while the row still holds the run's token (see `jobs`)."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from heard.core import storage
from heard.interviews.models import (
    Redaction,
    Segment,
    Transcript,
    TranscriptSpeaker,
    TranscriptStatus,
)
from heard.interviews.models.transcripts import UNFINISHED
from heard.interviews.signals import after_commit, changed, transcript_ready
from heard.interviews.transcripts import store
from heard.interviews.transcripts.document import Segment as DocumentSegment
from heard.interviews.transcripts.engine import (
    TranscriptionCancelled,
    TranscriptionError,
    diarize,
    transcribe,
)
from heard.interviews.transcripts.engine.audio import mono_wav
from heard.interviews.transcripts.engine.diarize import Turn
from heard.interviews.transcripts.engine.probe import probe
from heard.interviews.transcripts.imports import supersede
from heard.interviews.transcripts.jobs import CLAIMS, claim

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 2.0  # seconds between saves of the progress
CANCEL_EVERY = 1.0  # seconds between looks at the cancel flag
HEARTBEAT_SECONDS = 30.0  # while a diarizer works: how often the claim is renewed
REASON_LENGTH = 500


class _Overtaken(Exception):
    """This run's claim is gone: another run took the row over, or it was deleted."""


def run(transcript_id: int) -> str:
    """The background task's whole job: claim the row, transcribe its recording, keep the
    segments as they come. Returns the status it ends in ("busy" when another run holds it)."""
    token = claim(transcript_id)
    if token is None:
        return CLAIMS.status_of(transcript_id, UNFINISHED)
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
        if not CLAIMS.renew(self.transcript.pk, self.token, **changes):
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
            if not CLAIMS.end(self.transcript.pk, self.token, **changes):
                return "overtaken"
            if status == TranscriptStatus.READY:
                supersede(self.transcript)
                changed(self.transcript.interview_id)
                after_commit(transcript_ready, transcript_id=self.transcript.pk)
        return status
