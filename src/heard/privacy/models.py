"""What Heard keeps of an erasure: a tombstone with no personal data, saying who erased, when,
and how much went."""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User, Workspace
from heard.participants.models import Participant


class Erasure(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    participant = models.OneToOneField(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        related_name="erasure",
        help_text="The row the interviews held with them keep, emptied of everything personal.",
    )
    erased_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    erased_at = models.DateTimeField()
    team_side_erased = models.BooleanField(
        default=False, help_text="Whether the team's side of the transcripts went too."
    )
    counts = models.JSONField(default=dict, help_text="How much of each kind went.")

    class Meta:
        ordering = ("-erased_at", "-id")

    def __str__(self) -> str:
        return f"Erasure of {self.erased_at:%Y-%m-%d %H:%M}"


class RetentionPolicy(models.Model):
    """How long a workspace keeps what its interviews recorded, counted from each held
    interview's end (its start, for a call not run on the live screen); empty: for ever."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    recordings_days = models.PositiveIntegerField(
        "delete recordings after (days)",
        null=True,
        blank=True,
        help_text="The recordings and their playback copies; transcripts stay. Empty: keep.",
    )
    transcripts_days = models.PositiveIntegerField(
        "delete transcripts after (days)",
        null=True,
        blank=True,
        help_text="Every transcript of the interview, with its highlights. Empty: keep.",
    )
    interviews_months = models.PositiveIntegerField(
        "delete the whole interview after (months)",
        null=True,
        blank=True,
        help_text="Its notes, recordings, transcripts, summary and follow-up emails; findings "
        "lose its evidence and say so. Empty: keep.",
    )
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Retention of {self.workspace}"

    @property
    def is_set(self) -> bool:
        return any(
            value is not None
            for value in (self.recordings_days, self.transcripts_days, self.interviews_months)
        )


class RetentionHold(models.Model):
    """An owner keeps one interview past the workspace's policy: until a day, or for ever."""

    interview = models.OneToOneField(
        "interviews.Interview", on_delete=models.CASCADE, related_name="retention_hold"
    )
    until = models.DateField(null=True, blank=True, help_text="Empty: until the hold is lifted.")
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Hold on interview {self.interview_id}"
