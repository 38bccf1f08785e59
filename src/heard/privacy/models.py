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
