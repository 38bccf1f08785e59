"""The review meeting, where colleagues challenge findings and vote on them, and the decision
log, which keeps what the team decided."""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User
from heard.guides.models import Guide
from heard.studies.models import Study
from heard.synthesis.models.findings import FINDING_MAX_LENGTH, Finding
from heard.synthesis.models.summaries import Quote


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Review(models.Model):
    """A meeting where colleagues walk a study's findings, challenge them and vote on them."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="reviews")
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    started_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    follow_up_guide = models.ForeignKey(
        Guide,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The guide drafted for a follow-up round on what the review left disputed.",
    )
    presenter = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who presents the findings to everyone, if anyone does.",
    )
    presented_finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The finding the presenter shows: screens that follow the presenter show it.",
    )

    class Meta:
        ordering = ("-started_at", "-id")
        constraints = (
            # One review at a time per study: a second start joins the open one.
            models.UniqueConstraint(
                fields=("study",),
                condition=models.Q(status=ReviewStatus.OPEN),
                name="review_open_once_per_study",
            ),
        )
        indexes = (
            # The latest review of a study, shown on its findings page.
            models.Index(fields=("study", "-started_at"), name="review_latest_idx"),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.OPEN


class VoteChoice(models.TextChoices):
    AGREE = "agree", "Agree"
    DISAGREE = "disagree", "Disagree"
    UNSURE = "unsure", "Unsure"


class Vote(models.Model):
    """One person's vote on one finding in one review; voting again changes it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="votes")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("updated_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("review", "finding", "voter"), name="vote_once_per_person"
            ),
        )

    def __str__(self) -> str:
        return f"{self.voter}: {self.choice}"


class Challenge(models.Model):
    """A colleague's objection to a finding, with counter-evidence if they have some.

    It stays unresolved, and keeps the finding disputed, until a researcher resolves it with
    a note saying how.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="challenges")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="challenges")
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(max_length=FINDING_MAX_LENGTH)
    counter_quote = models.ForeignKey(
        Quote,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name="counter-evidence",
    )
    resolution = models.TextField(blank=True, max_length=FINDING_MAX_LENGTH)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Decision(models.Model):
    """What the team decided, on which findings, and who agreed: the study's decision log."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="decisions")
    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField(max_length=FINDING_MAX_LENGTH)
    findings = models.ManyToManyField(Finding, blank=True, related_name="decisions")
    agreed_by = models.ManyToManyField(User, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    warnings_acknowledged = models.JSONField(
        default=list,
        blank=True,
        help_text="The findings it was decided on despite their warnings (single source, "
        "contested, …), which whoever recorded it acknowledged: "
        '[{"finding": id, "statement": text, "warnings": [kind, …]}].',
    )

    class Meta:
        ordering = ("-decided_at", "-id")
        indexes = (
            # The decision log of a study, newest first.
            models.Index(fields=("study", "-decided_at"), name="decision_log_idx"),
        )

    def __str__(self) -> str:
        return self.text[:80]
