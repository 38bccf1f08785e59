"""Scheduled interviews: who, when, where, with which guide and team, and how ready we are."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from heard.accounts.models import User
from heard.guides.models import Guide
from heard.participants.models import Participant
from heard.studies.models import Study


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"“{value}” is not a time zone such as Europe/Berlin.") from None


class Mode(models.TextChoices):
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Interview(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="interviews")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="interviews"
    )
    guide = models.ForeignKey(
        Guide, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews"
    )
    starts_at = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    length_minutes = models.PositiveSmallIntegerField("length (minutes)", default=45)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.VIDEO)
    location = models.CharField(
        "link or place",
        max_length=500,
        blank=True,
        help_text="The video-call link, the phone number or the meeting place.",
    )
    status = models.CharField(
        max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("starts_at", "id")
        indexes = (
            # Upcoming interviews of a study and of a workspace, by start time.
            models.Index(fields=("study", "starts_at"), name="interview_study_time_idx"),
            models.Index(fields=("status", "starts_at"), name="interview_status_time_idx"),
        )

    def __str__(self) -> str:
        return f"{self.participant} — {self.local_start:%Y-%m-%d %H:%M}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.length_minutes)


class TeamRole(models.TextChoices):
    INTERVIEWER = "interviewer", "Interviewer"
    NOTETAKER = "notetaker", "Notetaker"
    GUEST = "guest", "Guest"


class TeamMember(models.Model):
    """One of the team on the call. Members of the workspace, or guests named by hand."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="interview_roles"
    )
    guest_name = models.CharField("name (for someone outside Heard)", max_length=150, blank=True)
    title = models.CharField(
        "title", max_length=150, blank=True, help_text="How they are introduced, e.g. VP Product."
    )
    role = models.CharField(max_length=20, choices=TeamRole.choices, default=TeamRole.GUEST)
    seniority = models.PositiveSmallIntegerField(
        default=1, help_text="1 is the most senior; intros go in this order."
    )

    class Meta:
        ordering = ("seniority", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(guest_name=""),
                name="team_member_is_someone",
            ),
        )

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.guest_name


class ChecklistItem(models.Model):
    """One step of preparing the environment for the call, ticked before it starts."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.text

    @property
    def done(self) -> bool:
        return self.done_at is not None
