"""The coach's report of each interview, and each workspace's coaching policy."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from heard.accounts.models import User, Workspace
from heard.interviews.models import Interview, Transcript


class CoachPolicy(models.Model):
    """Who sees a workspace's coach reports beyond the interviewer and the owners, and the
    customer's share of talk time the reports aim for."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="coach_policy"
    )
    open_to_researchers = models.BooleanField(
        "researchers see every coach report",
        default=False,
        help_text="Off: a report is for the interviewer and the workspace's owners only. "
        "Observers never see them.",
    )
    customer_share_target = models.PositiveSmallIntegerField(
        "the customer's share of talk time to aim for (%)",
        default=70,
        validators=[MinValueValidator(30), MaxValueValidator(95)],
        help_text="The method aims for the customer to speak most: 70 % or more.",
    )

    def __str__(self) -> str:
        return f"Coaching in {self.workspace}"


class CoachReport(models.Model):
    """The coach's report of one interview: what `heard.coach.report.compute` found, and the
    figures the trends compare, as columns. Written whole in one statement: a report is
    replaced, never half-changed.

    `wanted_at` is when a change to the interview's evidence asked for a new report;
    `computed_from` when the computation behind `data` began. A report is fresh when it was
    computed from after it was last wanted."""

    interview = models.OneToOneField(
        Interview, on_delete=models.CASCADE, related_name="coach_report"
    )
    interviewer = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transcript = models.ForeignKey(
        Transcript, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveSmallIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    wanted_at = models.DateTimeField(null=True, blank=True)
    computed_from = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)
    # The trend's figures (None: not measured for this interview).
    minutes = models.FloatField(null=True, blank=True)
    customer_share = models.FloatField(null=True, blank=True)
    questions = models.PositiveIntegerField(null=True, blank=True)
    leading = models.PositiveIntegerField(null=True, blank=True)
    hypothetical = models.PositiveIntegerField(null=True, blank=True)
    pitching = models.PositiveIntegerField(null=True, blank=True)
    leading_per_hour = models.FloatField(null=True, blank=True)
    hypothetical_per_hour = models.FloatField(null=True, blank=True)
    why_depth = models.FloatField(null=True, blank=True)
    must_missed = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = (
            # An interviewer's trend: their reports in the order of the interviews.
            models.Index(fields=("interviewer", "computed_at"), name="coach_trend_idx"),
        )

    def __str__(self) -> str:
        return f"Coach report of {self.interview}"

    @property
    def is_ready(self) -> bool:
        return self.computed_at is not None and bool(self.data)

    @property
    def is_stale(self) -> bool:
        return self.computed_from is None or (
            self.wanted_at is not None and self.wanted_at > self.computed_from
        )
