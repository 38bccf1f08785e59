"""A study: a round of interviews around one goal, and the points it sets out to validate."""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User, Workspace
from heard.core.archiving import Archivable


class StudyStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    INTERVIEWING = "interviewing", "Interviewing"
    SYNTHESISING = "synthesising", "Synthesising"
    DECIDED = "decided", "Decided"


class Study(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="studies")
    title = models.CharField(max_length=200)
    goal = models.TextField(help_text="What this round of interviews should achieve.")
    decision = models.TextField(
        blank=True, help_text="The decision the answers will inform, e.g. what goes on the roadmap."
    )
    status = models.CharField(
        max_length=20, choices=StudyStatus.choices, default=StudyStatus.PLANNING
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at",)
        verbose_name_plural = "studies"
        indexes = (
            # The study list: a workspace's studies, most recently changed first.
            models.Index(fields=("workspace", "-updated_at"), name="study_list_idx"),
        )

    def __str__(self) -> str:
        return self.title


class PointKind(models.TextChoices):
    HYPOTHESIS = "hypothesis", "Hypothesis"
    QUESTION = "question", "Open question"


class Priority(models.IntegerChoices):
    HIGH = 1, "High"
    MEDIUM = 2, "Medium"
    LOW = 3, "Low"


class ValidationPoint(Archivable):
    """A hypothesis or an open question the study sets out to test. Once summaries, quotes or
    findings rest on it, it is archived rather than deleted (`core.archiving`)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="points")
    statement = models.TextField()
    kind = models.CharField(max_length=20, choices=PointKind.choices, default=PointKind.HYPOTHESIS)
    confirm_if = models.TextField("what would confirm it", blank=True)
    refute_if = models.TextField("what would refute it", blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.statement[:80]

    @property
    def label(self) -> str:
        return f"VP{self.position + 1}"
