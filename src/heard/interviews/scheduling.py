"""Putting an interview on the calendar: a wall-clock time in the interview's zone as a UTC
instant, the defaults of a new interview (its guide, its length), booking it, saving an edit
(a newer invitation when its time, place or status changed), cancelling and reinstating it,
and the warning of a time that has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.db import transaction

from heard.accounts.models import User
from heard.guides.models import Guide
from heard.interviews import signals
from heard.interviews.models import Interview, InterviewStatus, TeamMember, TeamRole
from heard.interviews.services import apply_checklist
from heard.interviews.zones import zone_for
from heard.studies.models import Study, StudyStatus

DEFAULT_LENGTH_MINUTES = 45

# A change to any of these makes the calendar invitation out of date.
SCHEDULE_FIELDS = ("starts_at", "time_zone", "length_minutes", "mode", "location", "status")


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped when the clocks move forward (e.g. 02:30 on a spring night)."""


def local_to_utc(day: date, clock: time, time_zone: str) -> datetime:
    """The UTC instant of a wall-clock time in `time_zone`.

    A time that happens twice (clocks moving back) is the first of the two; a time that never
    happens (clocks moving forward) is refused rather than silently moved.
    """
    zone = zone_for(time_zone)
    local = datetime.combine(day, clock, tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(
            f"{clock:%H:%M} does not exist on {day:%-d %b %Y} in {time_zone}: the clocks "
            "move forward then. Pick a time an hour later."
        )
    return instant


def sole_guide(study: Study) -> Guide | None:
    """The study's guide when it has exactly one: the obvious choice for a new interview."""
    guides = list(study.guides.all()[:2])
    return guides[0] if len(guides) == 1 else None


def default_length(interview: Interview) -> int:
    return interview.guide.interview_minutes if interview.guide else DEFAULT_LENGTH_MINUTES


@transaction.atomic
def schedule_interview(
    interview: Interview, created_by: User, *, creator_interviews: bool = False
) -> Interview:
    """Save a new interview with its prep checklist, and its scheduler as interviewer if asked."""
    interview.created_by = created_by
    interview.save()
    apply_checklist(interview)
    # The first interview booked moves a study out of planning.
    Study.objects.filter(pk=interview.study_id, status=StudyStatus.PLANNING).update(
        status=StudyStatus.INTERVIEWING
    )
    if creator_interviews:
        TeamMember.objects.create(
            interview=interview, user=created_by, role=TeamRole.INTERVIEWER, seniority=1
        )
    signals.after_commit(signals.interview_scheduled, interview_id=interview.pk)
    return interview


@transaction.atomic
def save_changes(interview: Interview) -> Interview:
    """Save an edited interview: a new checklist if the mode changed, a newer invitation."""
    stored = Interview.objects.select_for_update().get(pk=interview.pk)
    changed = {
        name for name in SCHEDULE_FIELDS if getattr(stored, name) != getattr(interview, name)
    }
    if changed:
        interview.sequence = stored.sequence + 1
    interview.save()
    if "mode" in changed:
        apply_checklist(interview)
    return interview


def cancel_interview(interview: Interview) -> None:
    """Cancelled interviews stay, marked as such, so the list tells what happened."""
    interview.status = InterviewStatus.CANCELLED
    save_changes(interview)


def reinstate_interview(interview: Interview) -> None:
    interview.status = InterviewStatus.SCHEDULED
    save_changes(interview)


def schedule_warnings(interview: Interview) -> list[str]:
    if interview.is_open and interview.has_ended:
        return ["The time of this interview has passed. Edit it to set a new time, or cancel it."]
    return []
