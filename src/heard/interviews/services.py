"""Interview rules: scheduling, the team and its intro order, the prep checklist, the lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    DateTimeField,
    F,
    Func,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.core.downloads import name_part
from heard.core.queries import count_of, first_of
from heard.guides.models import Guide
from heard.interviews import signals
from heard.interviews.checklists import CHECKLISTS
from heard.interviews.models import (
    MAX_LENGTH_MINUTES,
    ChecklistItem,
    Interview,
    InterviewStatus,
    Mode,
    Note,
    NoteKind,
    TeamMember,
    TeamRole,
    interviewers_of,
)
from heard.interviews.zones import zone_for
from heard.participants.pseudonyms import Pseudonyms
from heard.studies.models import Study, StudyStatus

DEFAULT_LENGTH_MINUTES = 45
# Interviews the study page lists of those to come, and of those past: the list holds them all.
STUDY_CARD_ROWS = 10

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


# ---------------------------------------------------------------- lists


class Listing(StrEnum):
    UPCOMING = "upcoming"
    PAST = "past"

    @property
    def label(self) -> str:
        return "Upcoming" if self is Listing.UPCOMING else "Past and cancelled"

    @property
    def is_upcoming(self) -> bool:
        return self is Listing.UPCOMING


def with_readiness(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    """Annotate checklist_total and checklist_done, in the same query as the interviews."""
    return interviews.annotate(
        checklist_total=count_of(ChecklistItem, "interview"),
        checklist_done=count_of(ChecklistItem, "interview", done_at__isnull=False),
    )


def for_rows(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    """What a row of an interview table shows, in two queries whatever the number of rows."""
    team = TeamMember.objects.select_related("user")
    return with_readiness(
        interviews.select_related("participant", "study").prefetch_related(
            Prefetch("team", queryset=team)
        )
    )


class EndsAt(Func):
    """starts_at + length_minutes in SQL, so that lists filter and page in the database.

    Django's duration arithmetic cannot multiply a column by an interval on SQLite, hence a
    template per backend.
    """

    template = "(%(expressions)s)"
    arg_joiner = " + INTERVAL '1 minute' * "
    output_field = DateTimeField()

    def __init__(self) -> None:
        super().__init__(F("starts_at"), F("length_minutes"))

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        # Same text layout as Django's stored datetimes, so comparisons stay text comparisons.
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', %(expressions)s || ' minutes')",
            arg_joiner=", '+' || ",
            **extra_context,
        )


def _still_to_come(now: datetime) -> Q:
    """In progress, or scheduled and not over yet (needs the `ends` alias).

    A call that starts later is still to come, and one that started earlier is not over only
    if it started at most the longest length ago: the database reads a range of the index on
    status and start, and works out the end of those few calls only, not of every interview.
    """
    scheduled = Q(status=InterviewStatus.SCHEDULED)
    earliest = now - timedelta(minutes=MAX_LENGTH_MINUTES)
    return (
        Q(status=InterviewStatus.LIVE)
        | (scheduled & Q(starts_at__gt=now))
        | (scheduled & Q(starts_at__gt=earliest, starts_at__lte=now, ends__gt=now))
    )


def _with_end(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    return interviews.alias(ends=EndsAt())


def interviews_for_list(
    workspace: Workspace, listing: Listing = Listing.UPCOMING, study: Study | None = None
) -> QuerySet[Interview]:
    """Upcoming interviews soonest first, or past and cancelled ones latest first (to read
    with what a row shows, `for_rows`)."""
    interviews = _with_end(Interview.objects.filter(study__workspace=workspace))
    if study is not None:
        interviews = interviews.filter(study=study)
    to_come = _still_to_come(timezone.now())
    if listing is Listing.UPCOMING:
        return interviews.filter(to_come).order_by("starts_at", "id")
    return interviews.exclude(to_come).order_by("-starts_at", "-id")


def count_by_listing(workspace: Workspace, study: Study | None = None) -> dict[Listing, int]:
    interviews = _with_end(Interview.objects.filter(study__workspace=workspace))
    if study is not None:
        interviews = interviews.filter(study=study)
    # Two counts, each read from an index: one count of both, filtered, reads every row.
    upcoming = interviews.filter(_still_to_come(timezone.now())).count()
    return {Listing.UPCOMING: upcoming, Listing.PAST: interviews.count() - upcoming}


def upcoming(workspace: Workspace, limit: int) -> list[Interview]:
    """The next `limit` interviews still to come (not cancelled, not over), soonest first,
    with what a row shows."""
    return first_of(interviews_for_list(workspace, Listing.UPCOMING), limit, rows=for_rows)


def _card_rows(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    return with_readiness(interviews.select_related("participant"))


def study_card(workspace: Workspace, study: Study) -> dict[str, Any]:
    """What the study page shows of its interviews: at most STUDY_CARD_ROWS still to come
    (soonest first) and as many of the latest past (latest first), with the counts of both,
    however many the study holds."""
    return {
        "upcoming": first_of(
            interviews_for_list(workspace, Listing.UPCOMING, study),
            STUDY_CARD_ROWS,
            rows=_card_rows,
        ),
        "past": first_of(
            interviews_for_list(workspace, Listing.PAST, study), STUDY_CARD_ROWS, rows=_card_rows
        ),
        "counts": count_by_listing(workspace, study),
        "shown": STUDY_CARD_ROWS,
    }


# ---------------------------------------------------------------- scheduling


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


# ---------------------------------------------------------------- team


def intro_order(interview: Interview) -> list[TeamMember]:
    """The team in the order they introduce themselves: most senior first."""
    return list(interview.team.select_related("user").order_by("seniority", "id"))


def next_seniority(interview: Interview) -> int:
    top = interview.team.aggregate(top=Max("seniority"))["top"]
    return 1 if top is None else top + 1


def add_team_member(interview: Interview, member: TeamMember) -> TeamMember:
    member.interview = interview
    member.save()
    return member


def team_warnings(team: list[TeamMember]) -> list[str]:
    """What the method would point out about this team. Advice, never a refusal."""
    interviewers = [m.display_name for m in interviewers_of(team)]
    warnings = []
    if not interviewers:
        warnings.append("Nobody is the interviewer yet: add who leads the conversation.")
    elif len(interviewers) > 1:
        warnings.append(
            f"{len(interviewers)} people are set as interviewer ({', '.join(interviewers)}). "
            "One person should lead the conversation; the others can be notetaker or guests."
        )
    if team and not any(m.role == TeamRole.NOTETAKER for m in team):
        warnings.append(
            "No notetaker yet. With a wingman taking notes, the interviewer keeps eye contact "
            "and nobody re-watches the recording later."
        )
    by_seniority: dict[int, list[str]] = {}
    for member in team:
        by_seniority.setdefault(member.seniority, []).append(member.display_name)
    for seniority, names in sorted(by_seniority.items()):
        if len(names) > 1:
            warnings.append(
                f"{' and '.join(names)} share seniority {seniority}, so their intro order is "
                "only the order they were added. Give the more senior one the lower number."
            )
    return warnings


# ---------------------------------------------------------------- checklist


def checklist_for(mode: str) -> list[str]:
    """The prep steps for a video call, an in-person meeting or a phone call."""
    return list(CHECKLISTS[Mode(mode)])


@transaction.atomic
def apply_checklist(interview: Interview) -> None:
    """Make the checklist match the interview's mode, keeping the ticks of unchanged steps."""
    texts = checklist_for(interview.mode)
    existing = {item.text: item for item in interview.checklist.select_for_update()}
    ChecklistItem.objects.filter(interview=interview).exclude(text__in=texts).delete()
    moved = []
    for position, text in enumerate(texts):
        item = existing.get(text)
        if item is None:
            ChecklistItem.objects.create(interview=interview, text=text, position=position)
        elif item.position != position:
            item.position = position
            moved.append(item)
    ChecklistItem.objects.bulk_update(moved, ["position"])


def set_done(item: ChecklistItem, user: User, done: bool) -> ChecklistItem:
    """Tick or untick a step, recording who ticked it and when. Ticking twice changes nothing."""
    if done and not item.done:
        item.done_at, item.done_by = timezone.now(), user
    elif not done:
        item.done_at, item.done_by = None, None
    item.save(update_fields=["done_at", "done_by"])
    return item


@dataclass(frozen=True)
class Readiness:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def readiness(items: list[ChecklistItem]) -> Readiness:
    return Readiness(done=sum(1 for item in items if item.done), total=len(items))


# ---------------------------------------------------------------- after the call


def kept_notes(interview: Interview) -> QuerySet[Note]:
    """The notes of the call that were not deleted, in the order they were taken, each with
    its question and the validation points that question serves; with the highlights of its
    transcripts (`Note.source`), each with its points, transcript and speaker."""
    return (
        interview.notes.filter(deleted_at__isnull=True)
        .select_related("author", "question", "transcript", "speaker", "speaker__user")
        .prefetch_related("question__points", "points")
        .order_by("elapsed_seconds", "created_at")
    )


def file_name(
    interview: Interview, prefix: str, extension: str, hide: Pseudonyms | None = None
) -> str:
    """interview-2027-01-15-zoë-łukasiewicz.ics: the participant's name (their pseudonym,
    with `hide` on) as a slug that keeps its letters, whatever the script (downloads send an
    ASCII name beside it)."""
    person = interview.participant
    name = name_part(hide.name(person) if hide is not None else person.name)
    day = f"{interview.local_start:%Y-%m-%d}"
    return f"{prefix}-{day}-{name}.{extension}" if name else f"{prefix}-{day}.{extension}"


@dataclass(frozen=True)
class SolutionRequest:
    """A solution the customer asked for, the whys noted under it, and the pain it came to."""

    note: Note
    whys: list[Note]
    root_pain: Note | None


def solution_requests(notes: Sequence[Note]) -> list[SolutionRequest]:
    """Each solution request among `notes` (taken in order) with its why-ladder: the whys
    and the root pain that ended it (the latest one, as the live screen shows)."""
    ladders: dict[object, list[Note]] = defaultdict(list)
    for note in notes:
        if note.ladder_of_id:
            ladders[note.ladder_of_id].append(note)
    found = []
    for note in notes:
        if note.kind == NoteKind.SOLUTION_REQUEST:
            steps = ladders[note.pk]
            roots = [step for step in steps if step.kind == NoteKind.PAIN]
            whys = [step for step in steps if step.kind == NoteKind.WHY]
            found.append(SolutionRequest(note, whys, roots[-1] if roots else None))
    return found
