"""Interview guides: the customer profile to fill and the questions to ask, by section."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from heard.core.archiving import Archivable
from heard.studies.models import Study, ValidationPoint

# The method: "Leave 5-10 minutes for your wingman and guests to ask their own questions."
TEAM_RESERVE_MIN = 5
TEAM_RESERVE_MAX = 10


class Guide(Archivable):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="guides")
    title = models.CharField(max_length=200)
    interview_minutes = models.PositiveSmallIntegerField(
        "interview length (minutes)",
        default=45,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )
    team_reserve_minutes = models.PositiveSmallIntegerField(
        "reserve for the team's questions (minutes)",
        default=10,
        validators=[MinValueValidator(TEAM_RESERVE_MIN), MaxValueValidator(TEAM_RESERVE_MAX)],
        help_text="Time for the notetaker and guests to ask their own questions: 5 to 10 minutes.",
    )
    customer_reserve_minutes = models.PositiveSmallIntegerField(
        "reserve for the customer's questions (minutes)",
        default=5,
        validators=[MaxValueValidator(30)],
        help_text="Time for the customer to ask whatever is on their mind: usually 5 minutes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("title", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(
                    team_reserve_minutes__gte=TEAM_RESERVE_MIN,
                    team_reserve_minutes__lte=TEAM_RESERVE_MAX,
                ),
                name="guide_team_reserve_5_to_10",
                violation_error_message="Leave 5 to 10 minutes for the team's questions.",
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def conversation_minutes(self) -> int:
        """Time left for the guide's questions once both reserves are set aside."""
        return max(
            0, self.interview_minutes - self.team_reserve_minutes - self.customer_reserve_minutes
        )


class ProfileField(models.Model):
    """A customer-profile field to fill for each participant (company size, tools used, …)."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="profile_fields")
    label = models.CharField(max_length=120)
    key = models.SlugField(max_length=60)
    help_text = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")
        constraints = (
            models.UniqueConstraint(fields=("guide", "key"), name="profile_field_key_once"),
        )

    def __str__(self) -> str:
        return self.label


class Section(Archivable):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(
        default=timezone.now,
        null=True,
        blank=True,
        editable=False,
        help_text="When it was added to the guide: an interview held before does not show it. "
        "Empty for parts older than this record: always there.",
    )

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.title


class QuestionPriority(models.TextChoices):
    MUST = "must", "Must ask"
    SHOULD = "should", "Should ask"
    NICE = "nice", "Nice to ask"


class CallStep(models.TextChoices):
    """A step of the call that answers a question by itself: the kickoff records the consent
    to record and starts the intros, the end records the promise to follow up. Such a question
    counts as asked once the call has recorded its step, whether or not anyone ticked it."""

    NONE = "", "Nothing: tick it during the call"
    CONSENT = "consent", "The consent to record, asked at the kickoff"
    INTROS = "intros", "The intros, timed at the kickoff"
    FOLLOW_UP = "follow_up", "The promise to follow up, given at the end of the call"


class Question(Archivable):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    priority = models.CharField(
        max_length=10, choices=QuestionPriority.choices, default=QuestionPriority.SHOULD
    )
    minutes = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(60)],
        help_text="About how long the answer takes, to plan the time.",
    )
    points = models.ManyToManyField(
        ValidationPoint, blank=True, related_name="questions", verbose_name="validation points"
    )
    follow_ups = models.TextField(
        "follow-up prompts", blank=True, help_text="One per line, to dig deeper when it fits."
    )
    answered_by = models.CharField(
        "answered by the call",
        max_length=12,
        choices=CallStep.choices,
        default=CallStep.NONE,
        blank=True,
        help_text="A step of the call that records the answer itself: the question counts as "
        "asked once the call has recorded it.",
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(
        default=timezone.now,
        null=True,
        blank=True,
        editable=False,
        help_text="When it was added to the guide: an interview held before does not show it. "
        "Empty for parts older than this record: always there.",
    )

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def follow_up_list(self) -> list[str]:
        return [line.strip() for line in self.follow_ups.splitlines() if line.strip()]
