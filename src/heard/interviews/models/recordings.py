"""Recordings of an interview's call: the original file as uploaded, what probing it found, and
a compact copy that browsers play."""

from __future__ import annotations

import uuid

from django.db import models

from heard.accounts.models import User
from heard.interviews.models.schedule import Interview


class RecordingStatus(models.TextChoices):
    UPLOADING = "uploading", "Uploading"
    PROCESSING = "processing", "Making a copy to play"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def _new_key() -> str:
    return uuid.uuid4().hex


class Recording(models.Model):
    """One audio or video file of an interview.

    The stored files are named by `key`, never by the uploaded name (which is kept, cleaned,
    for people to read): `recordings/<interview>/<key>.<ext>` and `…-play.m4a`."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="recordings")
    key = models.CharField(max_length=32, unique=True, default=_new_key, editable=False)
    original = models.FileField(max_length=300, blank=True)
    original_name = models.CharField(max_length=255)
    size = models.BigIntegerField("size in bytes")
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # What probing found (heard/interviews/recordings/probe.py).
    duration = models.FloatField("duration in seconds", null=True, blank=True)
    container = models.CharField(max_length=40, blank=True)
    audio_codec = models.CharField(max_length=40, blank=True)
    video_codec = models.CharField(max_length=40, blank=True)
    channels = models.PositiveSmallIntegerField(null=True, blank=True)
    sample_rate = models.PositiveIntegerField(null=True, blank=True)
    has_video = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=RecordingStatus.choices, default=RecordingStatus.UPLOADING
    )
    failure_reason = models.TextField(blank=True)
    playback = models.FileField(max_length=300, blank=True)
    # Where the recording starts on the call's clock (the clock of the live notes, counted
    # from the kickoff's `Interview.started_at`): 0 when recording began as the call did;
    # set by hand when it began later (positive) or earlier (negative).
    call_offset_seconds = models.IntegerField(
        "seconds into the call when the recording starts", default=0
    )
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    # Added before the call's consent answer was recorded: who confirmed the participant
    # agreed to be recorded, and when.
    consent_confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = (
            # Uploads left unfinished, found by age (uploads.purge_abandoned).
            models.Index(fields=("status", "created_at"), name="recording_status_age_idx"),
        )

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_ready(self) -> bool:
        return self.status == RecordingStatus.READY

    @property
    def is_uploading(self) -> bool:
        return self.status == RecordingStatus.UPLOADING

    @property
    def is_processing(self) -> bool:
        return self.status == RecordingStatus.PROCESSING

    @property
    def is_failed(self) -> bool:
        return self.status == RecordingStatus.FAILED

    @property
    def duration_label(self) -> str:
        """`1:02:03` or `2:03`."""
        if self.duration is None:
            return ""
        seconds = round(self.duration)
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"

    @property
    def kind_label(self) -> str:
        """What the file holds, as people say it: "Video (h264, aac, stereo)"."""
        channels = {1: "mono", 2: "stereo"}.get(self.channels or 0, f"{self.channels} channels")
        codecs = ", ".join(filter(None, (self.video_codec, self.audio_codec, channels)))
        return f"{'Video' if self.has_video else 'Audio'} ({codecs})"
