"""Findings: what the team believes, and the evidence it rests on (quotes and summary cells)."""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User
from heard.interviews.models import Interview
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.models.summaries import PointSummary, Quote

FINDING_MAX_LENGTH = 4_000


class Finding(models.Model):
    """A statement the team believes, about some validation points, resting on evidence.

    Heard weighs it (`findings.weight.weigh`): how many distinct interviews, participants, companies
    and segments speak for it and against it.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="findings")
    statement = models.TextField(max_length=FINDING_MAX_LENGTH)
    points = models.ManyToManyField(
        ValidationPoint, blank=True, related_name="findings", verbose_name="validation points"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = (
            # The findings page and the review board: a study's findings, oldest first.
            models.Index(fields=("study", "created_at"), name="finding_list_idx"),
        )

    def __str__(self) -> str:
        return self.statement[:80]


class EvidenceBearing(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"


class Evidence(models.Model):
    """A quote, or a whole summary cell (a point as one interview left it), behind a finding.

    Exactly one of `quote` and `point_summary` is set. Either way it traces back to one
    interview, and through it to a participant, their company and their segment.
    """

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    point_summary = models.ForeignKey(
        PointSummary, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    bearing = models.CharField(max_length=12, choices=EvidenceBearing.choices)
    added_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(quote__isnull=False, point_summary__isnull=True)
                | models.Q(quote__isnull=True, point_summary__isnull=False),
                name="evidence_is_a_quote_or_a_cell",
            ),
            # Picking the same quote or cell twice (two people at once) keeps one row.
            models.UniqueConstraint(
                fields=("finding", "quote"),
                condition=models.Q(quote__isnull=False),
                name="evidence_quote_once",
            ),
            models.UniqueConstraint(
                fields=("finding", "point_summary"),
                condition=models.Q(point_summary__isnull=False),
                name="evidence_cell_once",
            ),
        )

    def __str__(self) -> str:
        return f"{self.bearing}: {self.quote or self.point_summary}"

    @property
    def cell(self) -> PointSummary:
        """The summary cell it comes from: the quote's own, or the cell itself."""
        return self.quote.point_summary if self.quote else self.point_summary  # type: ignore[return-value]

    @property
    def interview(self) -> Interview:
        return self.cell.summary.interview

    @property
    def is_quote(self) -> bool:
        return self.quote_id is not None


class RemovedEvidence(models.Model):
    """Evidence a finding lost: its quote was taken out of a summary, or someone took it off the
    finding. What it said is kept, so that the finding's page can say what it no longer rests
    on, and a decision taken on the finding before is flagged (`reviews.decisions`)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="removed_evidence")
    bearing = models.CharField(max_length=12, choices=EvidenceBearing.choices)
    words = models.TextField(
        help_text="The quote's words, or the summary cell's stance and reading."
    )
    interview = models.ForeignKey(
        Interview, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    why = models.CharField(max_length=200)
    removed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField()

    class Meta:
        ordering = ("removed_at", "id")
        verbose_name_plural = "removed evidence"

    def __str__(self) -> str:
        return f"{self.bearing}, removed: {self.words[:60]}"
