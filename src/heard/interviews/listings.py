"""The lists of interviews: those to come (soonest first) and those past or cancelled (latest
first), filtered and paged in the database by each call's end; what a row of an interview
table shows, with the prep checklist's readiness; the next few on the home page, and the
study page's card."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateTimeField, F, Func, Prefetch, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from heard.accounts.models import Workspace
from heard.core.queries import count_of, first_of
from heard.interviews.models import (
    MAX_LENGTH_MINUTES,
    ChecklistItem,
    Interview,
    InterviewStatus,
    TeamMember,
)
from heard.studies.models import Study

# Interviews the study page lists of those to come, and of those past: the list holds them all.
STUDY_CARD_ROWS = 10


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
