"""A transcript from another tool's file, kept as a transcript of an interview: read whole,
checked against its recording's length, saved in one transaction or not at all."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.accounts.models import User
from heard.core.downloads import uploaded_name
from heard.interviews.models import (
    Interview,
    Recording,
    Transcript,
    TranscriptSource,
    TranscriptStatus,
)
from heard.interviews.signals import after_commit, changed, transcript_ready
from heard.interviews.transcripts import formats, store
from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats import TranscriptFormatError

READ_BLOCK = 1024 * 1024


def _label(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def timing_warnings(document: TranscriptDocument, recording: Recording | None) -> list[str]:
    """What a person should know about the transcript's times against its recording's."""
    if recording is None or not recording.duration:
        return []
    ends = document.duration
    if ends is None:
        return [
            "The transcript has no times, so it cannot follow the recording: its lines will "
            "not play their moment."
        ]
    slack = max(10.0, recording.duration * 0.05)
    if ends > recording.duration + slack:
        return [
            f"The transcript runs to {_label(ends)}, but the recording lasts "
            f"{_label(recording.duration)}: it may belong to another recording, or count its "
            "times from another start."
        ]
    return []


def read_upload(upload: UploadedFile) -> TranscriptDocument:
    """The transcript in an uploaded file, read no further than one byte past the limit."""
    data = bytearray()
    for chunk in upload.chunks(READ_BLOCK):
        data += chunk
        if len(data) > formats.MAX_BYTES:
            break
    return formats.read(bytes(data), upload.name or "")


def supersede(transcript: Transcript) -> int:
    """Mark the older current transcripts of the same recording (or, without one, the
    interview's others without one) as superseded by `transcript`."""
    same = (
        Q(recording__isnull=True)
        if transcript.recording_id is None
        else Q(recording_id=transcript.recording_id)
    )
    return (
        Transcript.objects.filter(
            same,
            interview_id=transcript.interview_id,
            superseded_at__isnull=True,
            status=TranscriptStatus.READY,
        )
        .exclude(pk=transcript.pk)
        .update(superseded_at=timezone.now())
    )


def import_transcript(
    interview: Interview, user: User, upload: UploadedFile, recording: Recording | None
) -> Transcript:
    """Keep the transcript of `upload` (any format `formats.read` takes) as a ready transcript
    of the interview, tied to `recording` if given. TranscriptFormatError when the file
    cannot be read: then nothing is kept."""
    document = read_upload(upload)
    if not document.segments:
        raise TranscriptFormatError("The file holds no line of transcript.")
    now = timezone.now()
    with transaction.atomic():
        transcript = Transcript.objects.create(
            interview=interview,
            recording=recording,
            source=TranscriptSource.IMPORTED,
            source_format=document.source_format,
            original_name=uploaded_name(upload.name or "", "transcript"),
            language=document.language[:8],
            status=TranscriptStatus.READY,
            warnings=[*document.warnings, *timing_warnings(document, recording)],
            done_seconds=document.duration or 0.0,
            total_seconds=document.duration,
            created_by=user,
            started_at=now,
            finished_at=now,
        )
        store.save_segments(transcript, document.segments)
        supersede(transcript)
        changed(interview.pk)
        after_commit(transcript_ready, transcript_id=transcript.pk)
    return transcript
