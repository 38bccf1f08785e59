"""Transcripts of an interview: made from a recording on this machine, or imported from
another tool's file; their segments in order, and who each speaker label is.

Times are whole milliseconds from the start of the recording (`start_ms`, `end_ms`, and in
`words`), None where an imported format has none. A segment's id is stable: the transcript
view and highlights point at it. Its `text` may later be edited; `original_text` keeps what
the model or the file said.

An interview has one current transcript per recording (and one without a recording); a new
transcription or import for the same recording supersedes the current one once it is ready
(`superseded_at`), and the older one stays listed until someone deletes it.
"""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User
from heard.core.languages import TRANSCRIPT_LANGUAGES, language_label
from heard.interviews.models.recordings import Recording
from heard.interviews.models.schedule import Interview


class TranscriptStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Transcribing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class TranscriptSource(models.TextChoices):
    TRANSCRIBED = "transcribed", "Transcribed by Heard"
    IMPORTED = "imported", "Imported"


class SpeakerRole(models.TextChoices):
    UNKNOWN = "", "Not said yet"
    TEAM = "team", "Someone of the team"
    PARTICIPANT = "participant", "The participant"
    OTHER = "other", "Someone else"


# The statuses of a transcription still to finish: it can be cancelled, not retried.
UNFINISHED = (TranscriptStatus.QUEUED, TranscriptStatus.RUNNING)


class Transcript(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="transcripts")
    # Deleting a recording keeps what was said in it, unless the person deleting says so.
    recording = models.ForeignKey(
        Recording,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transcripts",
    )
    source = models.CharField(max_length=12, choices=TranscriptSource.choices)
    # The format an import was read in (a `formats` name), and the file's cleaned name.
    source_format = models.CharField(max_length=20, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=8, blank=True, choices=TRANSCRIPT_LANGUAGES)
    model = models.CharField("speech model", max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=TranscriptStatus.choices, default=TranscriptStatus.QUEUED
    )
    failure_reason = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # Progress of a transcription: seconds of sound done, of the whole.
    done_seconds = models.FloatField(default=0.0)
    total_seconds = models.FloatField(null=True, blank=True)
    # The claim of the run that transcribes it (jobs.py): its token, renewed while it works;
    # a claim not renewed for a lease is a dead worker's, and another run takes it over.
    run_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = (
            models.Index(fields=("interview", "created_at"), name="transcript_interview_idx"),
        )

    def __str__(self) -> str:
        return self.original_name or f"Transcript {self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.status == TranscriptStatus.READY

    @property
    def is_unfinished(self) -> bool:
        return self.status in UNFINISHED

    @property
    def can_retry(self) -> bool:
        return (
            self.source == TranscriptSource.TRANSCRIBED
            and self.status in (TranscriptStatus.FAILED, TranscriptStatus.CANCELLED)
            and self.recording_id is not None
        )

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def language_label(self) -> str:
        return language_label(self.language)

    @property
    def progress_percent(self) -> int:
        if not self.total_seconds:
            return 0
        return min(100, int(100 * self.done_seconds / self.total_seconds))

    @property
    def source_label(self) -> str:
        if self.source == TranscriptSource.IMPORTED:
            return f"Imported from {self.original_name}" if self.original_name else "Imported"
        return "Transcribed by Heard"


class TranscriptSpeaker(models.Model):
    """A speaker's label as a transcript names it ("Channel 1", "Speaker 0", "Olivia Chen"),
    and who that is. One per label and interview: every transcript of the interview, its
    page and its exports use the same answer."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="transcript_speakers"
    )
    label = models.CharField(max_length=150)
    role = models.CharField(max_length=12, choices=SpeakerRole.choices, blank=True, default="")
    # A team member of the interview, for role TEAM.
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A name for someone else (a colleague of the participant, a guest from outside).
    name = models.CharField(max_length=150, blank=True)
    mapped_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(
                fields=("interview", "label"), name="transcript_speaker_once_per_interview"
            ),
        )

    def __str__(self) -> str:
        return self.label


class Segment(models.Model):
    """A stretch of speech by one speaker, in the transcript's order (`index`, from 0)."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    index = models.PositiveIntegerField()
    start_ms = models.PositiveIntegerField(null=True, blank=True)
    end_ms = models.PositiveIntegerField(null=True, blank=True)
    speaker = models.ForeignKey(
        TranscriptSpeaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="segments",
    )
    text = models.TextField()
    # What the speech model or the imported file said, whatever editing does to `text`.
    original_text = models.TextField()
    # [[start_ms, end_ms, "word", probability or null], …] where known.
    words = models.JSONField(default=list, blank=True)
    # Counts the edits: an edit names the version it was made on, and one made on an older
    # version than the saved one is refused (someone else changed the line meanwhile).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("transcript", "index")
        constraints = (
            models.UniqueConstraint(
                fields=("transcript", "index"), name="segment_once_per_position"
            ),
        )

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def edited(self) -> bool:
        return self.text != self.original_text


class SegmentEdit(models.Model):
    """One change to a segment's text or speaker: what it was, what it became, who and when."""

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="edits")
    old_text = models.TextField()
    new_text = models.TextField()
    old_speaker = models.ForeignKey(
        TranscriptSpeaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    new_speaker = models.ForeignKey(
        TranscriptSpeaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("segment", "-edited_at", "-id")

    def __str__(self) -> str:
        return f"{self.segment_id} at {self.edited_at:%Y-%m-%d %H:%M}"
