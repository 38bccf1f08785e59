"""Scheduled interviews: who, when, where, with which guide and team, and how ready we are."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from heard.accounts.models import User
from heard.core.languages import TRANSCRIPT_LANGUAGES
from heard.guides.models import Guide
from heard.interviews.checklists import MENTIONS_GUIDE
from heard.interviews.zones import utc_offset_label
from heard.participants.models import Participant
from heard.studies.models import Study


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"“{value}” is not a time zone such as Europe/Berlin.") from None


class WallClock(datetime):
    """A moment as the clock shows it in its own zone.

    Templates convert aware datetimes to the server's zone before formatting them; this flag
    (the one Django's `timezone` template filter sets) keeps the interview's own zone instead.
    """

    convert_to_local_time = False

    @classmethod
    def of(cls, moment: datetime, zone: zoneinfo.ZoneInfo) -> WallClock:
        local = moment.astimezone(zone)
        return cls(
            local.year,
            local.month,
            local.day,
            local.hour,
            local.minute,
            local.second,
            local.microsecond,
            local.tzinfo,
            fold=local.fold,
        )


class Mode(models.TextChoices):
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"


class Consent(models.TextChoices):
    YES = "yes", "Yes, we may record"
    NO = "no", "No recording"


# The longest an interview may last: lists of what is still to come rely on it, reading only
# the calls that started at most this long ago.
MAX_LENGTH_MINUTES = 480


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class InterviewState(models.TextChoices):
    """The status as a reader needs it (`Interview.state`): a scheduled call whose time is
    over is past."""

    SCHEDULED = InterviewStatus.SCHEDULED.value, InterviewStatus.SCHEDULED.label
    PAST = "past", "Time passed"
    LIVE = InterviewStatus.LIVE.value, InterviewStatus.LIVE.label
    DONE = InterviewStatus.DONE.value, InterviewStatus.DONE.label
    CANCELLED = InterviewStatus.CANCELLED.value, InterviewStatus.CANCELLED.label


HELD_STATUSES = (InterviewStatus.LIVE, InterviewStatus.DONE)


def held() -> models.Q:
    """The interviews whose call took place in Heard (`Interview.is_held`)."""
    return models.Q(started_at__isnull=False) | models.Q(status__in=HELD_STATUSES)


class Interview(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="interviews")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="interviews"
    )
    # A guide that held interviews used is archived, never deleted (`core.archiving`).
    guide = models.ForeignKey(
        Guide, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews"
    )
    starts_at = models.DateTimeField()
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    length_minutes = models.PositiveSmallIntegerField(
        "length (minutes)", default=45, validators=[MaxValueValidator(MAX_LENGTH_MINUTES)]
    )
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
    sequence = models.PositiveIntegerField(
        default=0,
        help_text="Raised at each change of time, place or status, so that calendars that "
        "imported the invitation take the newer one (iCalendar SEQUENCE).",
    )
    # The live call. Times come from the server, so a sleeping tab or a wrong clock on a
    # laptop cannot bend the time budget.
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    team_reserve_minutes = models.PositiveSmallIntegerField(
        "reserve for the team's questions (minutes)",
        default=10,
        validators=[MinValueValidator(5), MaxValueValidator(10)],
    )
    customer_reserve_minutes = models.PositiveSmallIntegerField(
        "reserve for the customer's questions (minutes)",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    recording_consent = models.CharField(
        max_length=3, choices=Consent.choices, blank=True, default=""
    )
    consent_asked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    intros_started_at = models.DateTimeField(null=True, blank=True)
    promised_follow_up = models.BooleanField(default=False)
    transcript_language = models.CharField(
        "language of the call",
        max_length=8,
        blank=True,
        choices=TRANSCRIPT_LANGUAGES,
        help_text="For transcribing its recordings. Left blank, the workspace's language is "
        "used, or the speech model detects it.",
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
        constraints = (
            models.CheckConstraint(
                condition=models.Q(length_minutes__lte=MAX_LENGTH_MINUTES),
                name="interview_length_max",
            ),
        )

    def __str__(self) -> str:
        return f"{self.participant} — {self.local_start:%Y-%m-%d %H:%M}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> WallClock:
        return WallClock.of(self.starts_at, self.zone)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.length_minutes)

    @property
    def utc_offset(self) -> str:
        """The zone's offset on the day of the interview, e.g. UTC+01:00."""
        return utc_offset_label(self.time_zone, self.starts_at)

    @property
    def local_end(self) -> WallClock:
        return WallClock.of(self.ends_at, self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == InterviewStatus.CANCELLED

    @property
    def is_live(self) -> bool:
        return self.status == InterviewStatus.LIVE

    @property
    def is_done(self) -> bool:
        return self.status == InterviewStatus.DONE

    @property
    def is_open(self) -> bool:
        """Still to be run: neither cancelled nor marked done."""
        return self.status in (InterviewStatus.SCHEDULED, InterviewStatus.LIVE)

    @property
    def is_held(self) -> bool:
        """The call took place in Heard (it is running or done): what was said in it is
        history, which editing the plan or the schedule must not change."""
        return self.started_at is not None or self.status in HELD_STATUSES

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def state(self) -> InterviewState:
        if self.status == InterviewStatus.SCHEDULED and self.has_ended:
            return InterviewState.PAST
        return InterviewState(self.status)

    @property
    def is_scheduled(self) -> bool:
        """Scheduled and its time not over yet (the state a list shows without a badge)."""
        return self.state == InterviewState.SCHEDULED

    @property
    def recording_allowed(self) -> bool:
        return self.recording_consent == Consent.YES

    @property
    def recording_declined(self) -> bool:
        return self.recording_consent == Consent.NO

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def interviewers(self) -> list[TeamMember]:
        """From the team as loaded (prefetch it for lists: one query for all rows)."""
        return interviewers_of(self.team.all())

    @property
    def lead_interviewer(self) -> TeamMember | None:
        """The most senior interviewer, who leads the conversation (None until there is one)."""
        return next(iter(self.interviewers), None)


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
            models.UniqueConstraint(
                fields=("interview", "user"),
                condition=models.Q(user__isnull=False),
                name="team_member_once_per_interview",
            ),
        )

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.guest_name

    @property
    def introduction(self) -> str:
        """How the person is introduced: "Dana Levi, VP Product"."""
        return f"{self.display_name}, {self.title}" if self.title else self.display_name

    @property
    def is_guest_from_outside(self) -> bool:
        return self.user_id is None


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

    @property
    def mentions_guide(self) -> bool:
        return self.text in MENTIONS_GUIDE


def interviewers_of(team: Iterable[TeamMember]) -> list[TeamMember]:
    """Who of a team leads the conversation, in the team's order: the one rule for "who is
    the interviewer"."""
    return [member for member in team if member.role == TeamRole.INTERVIEWER]
