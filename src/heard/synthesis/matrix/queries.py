"""The synthesis matrix: every interview of a study against its validation points.

A row is an interview (participant, company, segment, date, interviewers), a column is a
validation point in the study's order, and a cell is the interview's `PointSummary` for that
point: its stance, its quotes ("What they said") and the team's reading ("What we heard").
The column totals count the stances of every summary the filters keep, not only the rows of
the page on screen: the review weighs aggregated feedback, never one response.

Rows are the interviews that have a summary, and finished ones still waiting for theirs (so
nobody forgets them); interviews not held yet and cancelled ones are not rows. Reading the
cells of any number of rows takes the same few queries: the point rows, their quotes (on
screen only the first few of each cell, picked by a window in the database, so a cell with
thousands of quotes costs what one with three does) and the totals.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When, Window
from django.db.models.functions import Lower, RowNumber

from heard.accounts.models import User
from heard.core.queries import AnyOf, bare
from heard.interviews.models import (
    Interview,
    InterviewStatus,
    Note,
    TeamMember,
    TeamRole,
    TranscriptSpeaker,
)
from heard.participants.models import Participant
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.findings import charts
from heard.synthesis.models import PointSummary, Quote, Stance, Summary, SummaryStatus
from heard.synthesis.summaries.services import Entry

# On screen, a cell shows its first quotes; the summary has them all.
QUOTES_SHOWN = 3
# Interviews whose cells are read together when an export walks the whole study.
EXPORT_CHUNK = 100


class Sort(models.TextChoices):
    DATE = "date", "Date, oldest first"
    DATE_DESC = "-date", "Date, newest first"
    PARTICIPANT = "participant", "Participant"
    COMPANY = "company", "Company"
    SEGMENT = "segment", "Segment"


def _blank_last(name: str) -> tuple[Case, Lower]:
    """Order by a text field, case-blind, with the rows that leave it empty at the end."""
    return Case(When(**{name: ""}, then=Value(1)), default=Value(0)), Lower(name)


ORDERINGS: dict[str, tuple[object, ...]] = {
    Sort.DATE: ("starts_at", "id"),
    Sort.DATE_DESC: ("-starts_at", "-id"),
    Sort.PARTICIPANT: (Lower("participant__name"), "starts_at", "id"),
    Sort.COMPANY: (*_blank_last("participant__company"), "starts_at", "id"),
    Sort.SEGMENT: (*_blank_last("participant__segment"), "starts_at", "id"),
}


@dataclass(frozen=True)
class Filters:
    """Which rows the matrix (and its exports) show, and in which order."""

    segment: str = ""
    interviewer: User | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    final_only: bool = False
    sort: str = Sort.DATE

    @property
    def narrowed(self) -> bool:
        """Some rows are left out: the totals are those of the rows kept."""
        return bool(self.segment or self.interviewer or self.since or self.until or self.final_only)

    def describe(self) -> str:
        parts = []
        if self.segment:
            parts.append(f"segment {self.segment}")
        if self.interviewer:
            parts.append(f"interviewed by {self.interviewer.name}")
        if self.since:
            parts.append(f"from {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        if self.final_only:
            parts.append("final summaries only")
        return ", ".join(parts) if parts else "every interview"


@dataclass
class Cell(Entry):
    """One validation point of one interview, as the matrix shows it."""

    quote_count: int = 0

    @property
    def more_quotes(self) -> int:
        """Quotes the summary has beyond those shown here."""
        return max(self.quote_count - len(self.quotes), 0)


@dataclass
class Row:
    interview: Interview
    cells: list[Cell] = field(default_factory=list)
    cells_html: str = ""
    """The cells as the page shows them (`cells.row_cells`), once the page has made them."""

    @property
    def summary(self) -> Summary | None:
        return getattr(self.interview, "summary", None)


@dataclass
class Total:
    """How the kept summaries stand on one validation point, and the evidence behind them."""

    point: ValidationPoint
    stances: dict[str, int]
    interviews_quoted: int = 0
    quotes: int = 0

    @property
    def summaries(self) -> int:
        return sum(self.stances.values())

    @property
    def chart(self) -> charts.StanceChart:
        return charts.stance_chart(self.point, self.stances)


# Rows ------------------------------------------------------------------------------------------


def rows_of(study: Study, filters: Filters) -> QuerySet[Interview]:
    """The interviews the matrix shows, in the chosen order, with what a row header needs."""
    rows = study.interviews.filter(Q(summary__isnull=False) | Q(status=InterviewStatus.DONE))
    if filters.final_only:
        rows = rows.filter(summary__status=SummaryStatus.FINAL)
    if filters.segment:
        rows = rows.filter(participant__segment=filters.segment)
    if filters.interviewer:
        rows = rows.filter(team__role=TeamRole.INTERVIEWER, team__user=filters.interviewer)
    if filters.since or filters.until:
        rows = rows.filter(pk__in=_held_between(rows, filters.since, filters.until))
    team = TeamMember.objects.filter(role=TeamRole.INTERVIEWER).select_related("user")
    return (
        rows.select_related("participant", "summary")
        .prefetch_related(Prefetch("team", queryset=team))
        .order_by(*ORDERINGS.get(filters.sort, ORDERINGS[Sort.DATE]))  # type: ignore[arg-type]
    )


def _held_between(
    rows: QuerySet[Interview], since: datetime.date | None, until: datetime.date | None
) -> list[int]:
    """The interviews held between the two days on their own clocks, as their rows show them
    (a day either side in the database, where dates are the server's, then exactly here)."""
    day = datetime.timedelta(days=1)
    if since:
        rows = rows.filter(starts_at__date__gte=since - day)
    if until:
        rows = rows.filter(starts_at__date__lte=until + day)
    held = []
    for interview in rows.only("pk", "starts_at", "time_zone"):
        local = interview.local_start.date()
        if (since is None or local >= since) and (until is None or local <= until):
            held.append(interview.pk)
    return held


def not_held(study: Study) -> int:
    """Interviews of the study still to be held (or not marked done): no row for them yet."""
    return (
        study.interviews.filter(summary__isnull=True)
        .exclude(status__in=(InterviewStatus.DONE, InterviewStatus.CANCELLED))
        .count()
    )


def segments(study: Study) -> list[str]:
    """The segments of the study's participants, for the filter."""
    people = Participant.objects.filter(interviews__study=study).exclude(segment="")
    return list(people.values_list("segment", flat=True).distinct().order_by("segment"))


def note_authors(study: Study) -> dict[int, str]:
    """The names of those who took notes in the study's calls (a team: a few), by id."""
    notes = Note.objects.filter(interview__study=study).values("author")
    return dict(User.objects.filter(pk__in=notes).values_list("pk", "name"))


def interviewers(study: Study) -> QuerySet[User]:
    """The team members who interviewed for the study, for the filter."""
    roles = TeamMember.objects.filter(interview__study=study, role=TeamRole.INTERVIEWER)
    return User.objects.filter(pk__in=roles.values("user")).order_by("name", "id")


# Cells -----------------------------------------------------------------------------------------


def with_cells(
    interviews: Iterable[Interview],
    points: list[ValidationPoint],
    *,
    quotes_per_cell: int | None = QUOTES_SHOWN,
) -> list[Row]:
    """A row per interview, with a cell per point when it has a summary.

    `quotes_per_cell`: how many quotes each cell carries (None: all of them, each with its
    note's kind and author, as the exports want)."""
    rows = [Row(interview) for interview in interviews]
    summaries = {row.summary.pk: row for row in rows if row.summary is not None}
    if not summaries:
        return rows
    # Plain rows, not model objects: a page has hundreds of them.
    kept = PointSummary.objects.filter(summary_id__in=summaries).values_list(
        "pk", "summary_id", "point_id", "stance", "what_we_heard"
    )
    by_cell = {(summary, point): (pk, stance, heard) for pk, summary, point, stance, heard in kept}
    quotes: dict[int, list[Quote]] = defaultdict(list)
    for quote in _quotes([pk for pk, _, _ in by_cell.values()], quotes_per_cell):
        quotes[quote.point_summary_id].append(quote)
    for summary_pk, row in summaries.items():
        for point in points:
            cell = Cell(point)
            found = by_cell.get((summary_pk, point.pk))
            if found is not None:
                pk, cell.stance, cell.what_we_heard = found
                cell.quotes = quotes[pk]
                if cell.quotes:
                    counted = getattr(cell.quotes[0], "in_cell", 0)
                    cell.quote_count = max(counted, len(cell.quotes))
            row.cells.append(cell)
    return rows


# What a cell's quotes need, read as plain rows (a page has hundreds, an export thousands):
# the quote; where a quote from the transcript was said, and by whom (`moments`); what it needs
# to say whose words it shows (`Quote.voice`): its note's kind and words, whether the note was
# deleted, and who wrote it (the exports name them).
QUOTE_FIELDS = (
    "id",
    "point_summary_id",
    "text",
    "source_text",
    "bearing",
    "source_seconds",
    "position",
    "from_transcript",
    "recording_id",
    "start_ms",
    "end_ms",
    "speaker_label",
    "speaker_id",
    "note_id",
)
NOTE_FIELDS = ("kind", "text", "deleted_at", "author_id")
SPEAKER_FIELDS = ("label", "role", "name", "user_id")


def _quotes(cells: list[int], limit: int | None) -> list[Quote]:
    """The quotes of these cells (`PointSummary` ids), in their order, each with its note
    and speaker (None: all of them; else the first `limit` of each cell, each with `in_cell`,
    the number of quotes in its cell).

    The first of each cell are picked by a window over the quotes' ids and places alone, and
    only those are read with their words, notes and speakers: sorting every quote of a page
    with its words for the window took four times as long. Each cell's count is a count.
    Both read the cells' quotes from the index on their cell, named by id (reached through
    the summaries, PostgreSQL read the whole table of quotes)."""
    if not cells:
        return []
    quotes = Quote.objects.filter(AnyOf(F("point_summary_id"), cells))
    columns = [
        *QUOTE_FIELDS,
        *(f"note__{name}" for name in NOTE_FIELDS),
        *(f"speaker__{name}" for name in SPEAKER_FIELDS),
        "speaker__user__name",
    ]
    in_cell: dict[int, int] | None = None
    if limit is not None:
        in_cell = dict(quotes.order_by().values_list("point_summary_id").annotate(Count("id")))
        first = quotes.annotate(
            rank=Window(
                RowNumber(), partition_by=F("point_summary_id"), order_by=(F("position"), F("id"))
            )
        ).filter(rank__lte=limit)
        quotes = quotes.filter(pk__in=first.values("pk"))
    return [_quote(row, in_cell) for row in quotes.order_by("position", "id").values_list(*columns)]


def _quote(row: tuple[Any, ...], in_cell: dict[int, int] | None) -> Quote:
    values = dict(zip(QUOTE_FIELDS, row, strict=False))
    at = len(QUOTE_FIELDS)
    note = None
    if values["note_id"] is not None:
        note_values = dict(zip(NOTE_FIELDS, row[at : at + len(NOTE_FIELDS)], strict=True))
        note = bare(Note, id=values["note_id"], **note_values)
    at += len(NOTE_FIELDS)
    speaker = None
    if values["speaker_id"] is not None:
        speaker_values = dict(zip(SPEAKER_FIELDS, row[at : at + len(SPEAKER_FIELDS)], strict=True))
        user_id, user_name = speaker_values["user_id"], row[at + len(SPEAKER_FIELDS)]
        user = None if user_id is None else bare(User, id=user_id, name=user_name)
        speaker = bare(TranscriptSpeaker, {"user": user}, id=values["speaker_id"], **speaker_values)
    quote = bare(Quote, {"note": note, "speaker": speaker}, **values)
    if in_cell is not None:
        # Counted by a statement of its own, just before: a cell's first quote added in
        # between is not in the count (the cell counts the quotes it shows, at least).
        quote.in_cell = in_cell.get(quote.point_summary_id, 0)  # type: ignore[attr-defined]
    return quote


def every_row(
    interviews: QuerySet[Interview], points: list[ValidationPoint], chunk: int = EXPORT_CHUNK
) -> Iterator[Row]:
    """Every row with every quote, read a chunk of interviews at a time so that a big study
    never sits in memory whole."""
    batch: list[Interview] = []
    for interview in interviews.iterator(chunk_size=chunk):
        batch.append(interview)
        if len(batch) == chunk:
            yield from with_cells(batch, points, quotes_per_cell=None)
            batch = []
    if batch:
        yield from with_cells(batch, points, quotes_per_cell=None)


def quotes_in(interviews: QuerySet[Interview]) -> int:
    """How many quotes the kept interviews' summaries hold: the rows of an export's "Quotes"
    sheet, and what decides whether its XLSX is made in the background."""
    kept = interviews.order_by().values("pk")
    return Quote.objects.filter(point_summary__summary__interview__in=kept).count()


# Totals ----------------------------------------------------------------------------------------


def totals(interviews: QuerySet[Interview], points: list[ValidationPoint]) -> list[Total]:
    """Per point, how many of the kept summaries support it, contradict it, are mixed, silent
    or not set yet (a point nobody wrote on reads as not set), and how much evidence there is."""
    summarised = interviews.filter(summary__isnull=False).order_by()
    count = summarised.count()
    cells = PointSummary.objects.filter(summary__interview__in=summarised.values("pk")).order_by()
    stances: dict[int, dict[str, int]] = defaultdict(dict)
    for found in (
        cells.exclude(stance=Stance.UNSET).values("point_id", "stance").annotate(n=Count("id"))
    ):
        stances[found["point_id"]][found["stance"]] = found["n"]
    evidence: dict[int, tuple[int, int]] = {
        found["point_summary__point_id"]: (found["interviews"], found["quotes"])
        for found in Quote.objects.filter(point_summary__in=cells.values("pk"))
        .order_by()
        .values("point_summary__point_id")
        .annotate(quotes=Count("id"), interviews=Count("point_summary", distinct=True))
    }
    result = []
    for point in points:
        counted = dict.fromkeys(Stance.values, 0) | stances[point.pk]
        counted[Stance.UNSET] = count - sum(counted.values())
        result.append(Total(point, counted, *evidence.get(point.pk, (0, 0))))
    return result
