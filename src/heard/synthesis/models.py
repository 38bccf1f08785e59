"""Interview summaries, and what the team makes of them across interviews.

One `PointSummary` per interview and validation point is the cell of the synthesis matrix
(interviews by points): its stance, its quotes ("What they said") and its interpretation
("What we heard"). Findings rest on quotes and cells as evidence; a review is the meeting
where colleagues challenge findings and vote on them, and the decision log keeps what the
team decided.
"""

from __future__ import annotations

from django.db import models

from heard.accounts.models import User
from heard.guides.models import Guide
from heard.interviews.models import NOTE_MAX_LENGTH, Interview, Note
from heard.studies.models import Study, ValidationPoint

FINDING_MAX_LENGTH = 4_000


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class Summary(models.Model):
    """What one interview told us, written by the team once the call is over."""

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="summary")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(
        max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    main_pains = models.TextField(
        "main pains",
        blank=True,
        help_text="The customer's main pains, and how they measure them.",
    )
    solution_requests = models.TextField(
        "solution requests",
        blank=True,
        help_text="What they asked for, and the root pain the why-ladder reached.",
    )
    surprises = models.TextField(
        blank=True, help_text="What we did not expect to hear. Often the most useful part."
    )
    follow_ups = models.TextField(
        "open follow-ups", blank=True, help_text="What we promised, or still have to ask."
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_checks = models.JSONField(
        default=list,
        blank=True,
        help_text="The objectivity checks that were shown, and confirmed, when it was marked final.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "summaries"

    def __str__(self) -> str:
        return f"Summary of {self.interview}"

    @property
    def is_final(self) -> bool:
        return self.status == SummaryStatus.FINAL


class Stance(models.TextChoices):
    """Where the interview leaves a validation point. A person picks it; Heard never does."""

    UNSET = "unset", "Not set yet"
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    MIXED = "mixed", "Mixed"
    SILENT = "silent", "Silent"


class PointSummary(models.Model):
    """One validation point as this interview left it: a cell of the synthesis matrix."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="points")
    point = models.ForeignKey(ValidationPoint, on_delete=models.CASCADE, related_name="summaries")
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.UNSET)
    what_we_heard = models.TextField(
        "what we heard", blank=True, help_text="The team's interpretation, in its own words."
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("point__position", "point_id")
        constraints = (
            models.UniqueConstraint(fields=("summary", "point"), name="point_summary_once"),
        )

    def __str__(self) -> str:
        return f"{self.point.label}: {self.stance}"


class Bearing(models.TextChoices):
    """Whether a quote speaks for or against its point: set by a person, used by the checks."""

    UNMARKED = "unmarked", "Not marked"
    FOR = "for", "For"
    AGAINST = "against", "Against"


class Quote(models.Model):
    """What they said, word for word, traced back to the note (or, later, the recording)."""

    point_summary = models.ForeignKey(PointSummary, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    note = models.ForeignKey(
        Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    source_text = models.TextField(
        help_text="The note's words when the quote was picked, kept if the note goes."
    )
    source_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds into the interview when it was said."
    )
    bearing = models.CharField(max_length=10, choices=Bearing.choices, default=Bearing.UNMARKED)
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("position", "id")
        constraints = (
            # Picking the same note twice for a point (two people at once) keeps one quote.
            models.UniqueConstraint(
                fields=("point_summary", "note"), name="quote_note_once_per_point"
            ),
        )

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def elapsed_label(self) -> str:
        minutes, seconds = divmod(self.source_seconds or 0, 60)
        return f"{minutes:02d}:{seconds:02d}"

    @property
    def source_is_gone(self) -> bool:
        """The note was deleted from the call: the quote keeps the words it had."""
        return self.note is None or self.note.deleted_at is not None

    @property
    def is_verbatim(self) -> bool:
        """The quote's words stand in its note as they are: an excerpt is fine, spacing aside."""
        source = self.source_text if self.source_is_gone else self.note.text  # type: ignore[union-attr]
        said = " ".join(self.text.split())
        return bool(said) and said in " ".join(source.split())


# Findings: what the team believes, and the evidence it rests on -------------------------------


class Finding(models.Model):
    """A statement the team believes, about some validation points, resting on evidence.

    Heard weighs it (`findings.weigh`): how many distinct interviews, participants, companies
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


# The review meeting -----------------------------------------------------------------------------


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

    class Meta:
        ordering = ("-started_at", "-id")
        constraints = (
            # One review at a time per study: a second start joins the open one.
            models.UniqueConstraint(
                fields=("study",),
                condition=models.Q(status="open"),
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

    class Meta:
        ordering = ("-decided_at", "-id")
        indexes = (
            # The decision log of a study, newest first.
            models.Index(fields=("study", "-decided_at"), name="decision_log_idx"),
        )

    def __str__(self) -> str:
        return self.text[:80]
