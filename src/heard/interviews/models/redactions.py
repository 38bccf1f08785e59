"""Redactions: spans of a transcript line or a note whose words were taken out for good,
replaced by `REDACTED`, and the time on the recording whose sound the playback copy silences.

A redaction keeps where and when, how many characters and why, and who: never the words
(`privacy/redaction.py` does the work; this row is what every later copy of the recording and
its transcripts reads to stay redacted)."""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User
from heard.interviews.models.live import Note
from heard.interviews.models.recordings import Recording
from heard.interviews.models.schedule import Interview
from heard.interviews.models.transcripts import Segment, Transcript

REDACTED = "[redacted]"


class RedactionReason(models.TextChoices):
    """Why words were redacted: chosen by a person, or a suggestion of its kind."""

    CHOSEN = "chosen", "Chosen words"
    EMAIL = "email", "Email address"
    PHONE = "phone", "Phone number"
    CARD = "card", "Card number"
    NAME = "name", "Name"
    COMPANY = "company", "Company"


class RedactionQuerySet(models.QuerySet["Redaction"]):
    def silenced(self, recording_id: int | None) -> list[tuple[int, int]]:
        """The spans of a recording its redactions silence, in ms, earliest first."""
        if recording_id is None:
            return []
        rows = self.filter(
            recording_id=recording_id, start_ms__isnull=False, end_ms__isnull=False
        ).order_by("start_ms", "end_ms")
        return [
            (a, b)
            for a, b in rows.values_list("start_ms", "end_ms")
            if a is not None and b is not None
        ]


class Redaction(models.Model):
    """One span of one line or note, redacted."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="redactions")
    transcript = models.ForeignKey(
        Transcript, on_delete=models.SET_NULL, null=True, blank=True, related_name="redactions"
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.ForeignKey(
        Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The sound silenced: a span of this recording, in ms from its start.
    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, null=True, blank=True, related_name="redactions"
    )
    start_ms = models.PositiveIntegerField(null=True, blank=True)
    end_ms = models.PositiveIntegerField(null=True, blank=True)
    characters = models.PositiveIntegerField()
    reason = models.CharField(
        max_length=10, choices=RedactionReason.choices, default=RedactionReason.CHOSEN
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RedactionQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.characters} characters of interview {self.interview_id}"
