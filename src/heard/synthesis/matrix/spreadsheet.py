"""The synthesis matrix as a spreadsheet: XLSX (XlsxWriter) and CSV.

The XLSX file has four sheets. "Matrix": a row per interview and, for each validation point,
its stance, "What they said" (the quotes, each with its time into the call) and "What we
heard", the header frozen, the text wrapped. "Stance counts": per point, how the summaries
stand on it and how much evidence backs that. "Quotes": every quote with its interview, its
speaker, its time into the call and a link back to its note in Heard. "About": the study and
the filters the file was made with. The CSV file is the "Matrix" sheet alone.

Everything people typed passes through `core.spreadsheets`: control characters XLSX cannot
hold are dropped, and text is written as string cells, as typed (a value starting with = is
text there, never a formula; `sheets`); the CSV neutralises what would start a formula. The
workbook is written in XlsxWriter's constant-memory mode, row by row into a temporary file,
its rows read a chunk of interviews at a time, so a big study never sits in memory whole.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from heard.accounts.models import Membership
from heard.core.downloads import name_part
from heard.core.spreadsheets import CELL_MAX
from heard.interviews.models import Interview
from heard.interviews.recordings.moments import said_by
from heard.participants import pseudonyms
from heard.participants.models import Participant
from heard.participants.pseudonyms import Pseudonyms
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.findings import charts
from heard.synthesis.matrix import queries as matrix
from heard.synthesis.matrix.sheets import Column, Look, temporary_book
from heard.synthesis.models import Bearing, Quote, Stance, SummaryStatus, Voice

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The interview's own columns, before the points'.
ROW_COLUMNS: tuple[Column, ...] = (
    ("Date", 12, Look.DATE),
    ("Participant", 24, Look.TEXT),
    ("Company", 22, Look.TEXT),
    ("Segment", 14, Look.TEXT),
    ("Interviewers", 20, Look.TEXT),
    ("Summary", 16, Look.TEXT),
    ("Link", 30, Look.LINK),
)
POINT_COLUMNS: tuple[Column, ...] = (
    ("Stance", 13, Look.TEXT),
    ("What they said", 60, Look.TEXT),
    ("What we heard", 45, Look.TEXT),
)
QUOTE_COLUMNS: tuple[Column, ...] = (
    ("Date", 11, Look.PLAIN),
    ("Participant", 22, Look.PLAIN),
    ("Company", 20, Look.PLAIN),
    ("Segment", 14, Look.PLAIN),
    ("Validation point", 10, Look.PLAIN),
    ("Stance", 13, Look.PLAIN),
    ("Bearing", 9, Look.PLAIN),
    ("Quote", 70, Look.TEXT),
    ("Words", 16, Look.PLAIN),
    ("The note's words, if edited", 40, Look.TEXT),
    ("Time", 12, Look.PLAIN),
    ("Speaker", 24, Look.PLAIN),
    ("Link", 40, Look.LINK),
)
COUNT_COLUMNS: tuple[Column, ...] = (
    ("Validation point", 10, Look.TEXT),
    ("Statement", 60, Look.TEXT),
    ("Kind", 14, Look.TEXT),
    *((Stance(stance).label, 12, Look.TEXT) for stance in charts.ORDER),
    ("Interviews quoted", 12, Look.TEXT),
    ("Quotes", 10, Look.TEXT),
)
NO_SUMMARY = "No summary yet"
PSEUDONYMISED = "named by pseudonyms (P07), the same in every download; companies left out"
BEARINGS = {**dict(Bearing.choices), Bearing.UNMARKED: ""}
# The "Words" column of the quotes: whose words the quote shows (`Quote.voice`).
WORDS = {
    Voice.THEIRS: "Their words",
    Voice.EDITED: "Edited by the team",
    Voice.TEAM: "The team's note",
}


def named_as(study: Study, on: bool) -> Pseudonyms:
    """How a download names the study's participants (`participants.pseudonyms`): by
    pseudonyms when `on`."""
    people = Participant.objects.filter(interviews__study=study).distinct()
    return pseudonyms.of(study.workspace_id, people, on)


def file_name(study: Study, extension: str, today: datetime.date) -> str:
    """heard-matrix-reporting-pains-2027-01-15.xlsx, keeping letters of any script."""
    name = name_part(study.title) or f"study-{study.pk}"
    return f"heard-matrix-{name}-{today.isoformat()}.{extension}"


# What the cells say -----------------------------------------------------------------------------


def said(quotes: Sequence[Quote], interview: Interview) -> str:
    """The quotes of a cell, one paragraph each, cut to what one spreadsheet cell holds; a
    quote from the recording names its speaker and its time on the recording."""
    paragraphs: list[str] = []
    room = CELL_MAX - 80  # for the line that says what was left out
    for index, quote in enumerate(quotes):
        paragraph = f"{quote.marked()} ({_source(quote, interview)}{_bearing(quote)})"
        room -= len(paragraph) + 2
        if room < 0:
            left = len(quotes) - index
            paragraphs.append(f"… and {left} more quote{'s' if left > 1 else ''}: see “Quotes”.")
            break
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _source(quote: Quote, interview: Interview) -> str:
    if not quote.from_transcript:
        return quote.elapsed_label
    who = said_by(quote, interview)
    return f"{who}, {quote.when}" if who else quote.when


def _bearing(quote: Quote) -> str:
    said = BEARINGS.get(quote.bearing, quote.bearing)
    return f", {said.lower()}" if said else ""


def _names(interview: Interview) -> str:
    return ", ".join(member.display_name for member in interview.interviewers)


class Links:
    """Absolute addresses in Heard, as the person downloading the file reaches it."""

    def __init__(self, study: Study, absolute: Callable[[str], str]) -> None:
        self.ws = study.workspace.slug
        self.absolute = absolute
        self.known: dict[tuple[str, int], str] = {}

    def _to(self, name: str, pk: int) -> str:
        if (name, pk) not in self.known:
            path = reverse(name, kwargs={"ws": self.ws, "pk": pk})
            self.known[name, pk] = self.absolute(path)
        return self.known[name, pk]

    def study(self, study: Study) -> str:
        return self._to("studies:detail", study.pk)

    def interview(self, row: matrix.Row) -> str:
        """Its summary, or the interview itself while it has none."""
        name = "interviews:detail" if row.summary is None else "summaries:detail"
        return self._to(name, row.interview.pk)

    def quote(self, interview: Interview, quote: Quote) -> str:
        """The note in the wrap-up, or the quote in the summary once its note is gone (and
        for a quote from the recording, which plays there)."""
        if quote.source_is_gone or quote.from_transcript:
            return self._to("summaries:detail", interview.pk) + f"#quote-{quote.pk}"
        return self._to("interviews:wrapup", interview.pk) + f"#note-{quote.note_id}"


def header(points: Sequence[ValidationPoint]) -> tuple[list[str], list[str]]:
    """Two header rows: each point's label and statement over its three columns, then the
    columns' names."""
    over = [""] * len(ROW_COLUMNS)
    names = [title for title, _, _ in ROW_COLUMNS]
    for point in points:
        over += [point.label + (" (archived)" if point.is_archived else ""), point.statement, ""]
        names += [title for title, _, _ in POINT_COLUMNS]
    return over, names


def matrix_line(row: matrix.Row, links: Links, hide: Pseudonyms) -> list[Any]:
    interview = row.interview
    person = interview.participant
    summary = row.summary
    status = NO_SUMMARY if summary is None else SummaryStatus(summary.status).label
    line: list[Any] = [
        interview.local_start.date(),
        hide.name(person),
        hide.company(person),
        person.segment,
        _names(interview),
        status,
        links.interview(row),
    ]
    for cell in row.cells:
        line += [cell.stance_label, said(cell.quotes, interview), cell.what_we_heard]
    return hide.line(line)


def quote_lines(
    row: matrix.Row, links: Links, authors: dict[int, str], hide: Pseudonyms
) -> Iterator[list[Any]]:
    """A line per quote of the row. `authors`: the names of the notes' authors, by id."""
    interview = row.interview
    person = interview.participant
    first = [
        interview.local_start.date().isoformat(),
        hide.name(person),
        hide.company(person),
        person.segment,
    ]
    for cell in row.cells:
        point = [cell.point.label, cell.stance_label]
        for quote in cell.quotes:
            voice = quote.voice
            yield hide.line(
                [
                    *first,
                    *point,
                    BEARINGS.get(quote.bearing, ""),
                    quote.text,
                    WORDS[voice],
                    "" if voice is Voice.THEIRS or quote.is_verbatim else quote.source_words,
                    quote.when if quote.from_transcript else quote.elapsed_label,
                    speaker(quote, interview, authors, voice),
                    links.quote(interview, quote),
                ]
            )


def speaker(
    quote: Quote, interview: Interview, authors: dict[int, str], voice: Voice | None = None
) -> str:
    """Whose words these are: from the recording, the speaker's (by the interview's speaker
    mapping); the customer's, when the note was a quote (their words as said); otherwise the
    team member's, who noted a pain, a KPI… in their own words. `voice`: the quote's, where
    the caller has it already."""
    if quote.from_transcript:
        return f"{said_by(quote, interview) or 'Someone not named'} (from the recording)"
    note = quote.note
    if quote.source_is_gone or note is None:
        return "Unknown: the note was deleted from the call"
    if (quote.voice if voice is None else voice) != Voice.TEAM:
        return interview.participant.name
    author = authors.get(note.author_id or 0, "someone no longer in Heard")
    return f"Noted by {author} ({quote.noted_as})"


# CSV -------------------------------------------------------------------------------------------


def csv_lines(
    interviews: QuerySet[Interview],
    points: list[ValidationPoint],
    links: Links,
    hide: Pseudonyms,
) -> Iterator[list[Any]]:
    """The "Matrix" sheet as CSV lines: one header row ("VP1 stance", …), a row per interview."""
    names = [title for title, _, _ in ROW_COLUMNS]
    for point in points:
        names += [f"{point.label} {title.lower()}" for title, _, _ in POINT_COLUMNS]
    yield names
    for row in matrix.every_row(interviews, points):
        yield matrix_line(row, links, hide)


# XLSX ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraSheet:
    """A sheet a later part of Heard adds to a study's workbook (the coach's figures), as the
    person downloading it may see it."""

    title: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]


# Who adds a sheet: functions of (study, the downloader's membership) that answer a sheet or
# None, registered by the apps that add one (this package imports none of them).
EXTRA_SHEETS: list[Callable[[Study, Membership], ExtraSheet | None]] = []


def extra_sheets(study: Study, membership: Membership) -> list[ExtraSheet]:
    return [sheet for add in EXTRA_SHEETS if (sheet := add(study, membership)) is not None]


def workbook(
    study: Study,
    points: list[ValidationPoint],
    interviews: QuerySet[Interview],
    filters: matrix.Filters,
    links: Links,
    hide: Pseudonyms,
    extra: Sequence[ExtraSheet] = (),
    progress: Callable[[int], None] | None = None,
) -> IO[bytes]:
    """The XLSX file, in a temporary file rewound to its start (closing it deletes it);
    `extra` sheets go before the About sheet; participants named as `hide` says. `progress`
    hears, after each interview, how many rows of the matrix and the quotes are written."""
    with temporary_book() as book:
        columns = [*ROW_COLUMNS, *(column for _ in points for column in POINT_COLUMNS)]
        grid = book.sheet("Matrix", columns)
        grid.freeze(2, 2)
        counts = book.sheet("Stance counts", COUNT_COLUMNS)
        counts.freeze(1, 2)
        # Most quotes take a line or two in their column; the short values beside them sit where
        # a spreadsheet puts them, at the bottom, and so does the quote.
        quotes = book.sheet("Quotes", QUOTE_COLUMNS, lines=2, top=False)
        quotes.freeze(1, 2)
        for added in extra:
            sheet = book.sheet(added.title, added.columns)
            sheet.head([title for title, _, _ in added.columns])
            sheet.freeze(1, 1)
            for line in added.rows:
                sheet.append(hide.line(line))
        about = book.sheet("About", (("", 22, Look.TEXT), ("", 90, Look.TEXT)))

        for line in header(points):
            grid.head(line)
        quotes.head([title for title, _, _ in QUOTE_COLUMNS])
        rows = summarised = 0
        authors = matrix.note_authors(study)
        for row in matrix.every_row(interviews, points):
            rows += 1
            summarised += row.summary is not None
            grid.append(matrix_line(row, links, hide))
            for line in quote_lines(row, links, authors, hide):
                quotes.append(line)
            if progress is not None:
                progress(grid.rows + quotes.rows - 3)  # less the three header rows

        counts.head([title for title, _, _ in COUNT_COLUMNS])
        for total in matrix.totals(interviews, points):
            point = total.point
            counts.append(
                [
                    point.label,
                    point.statement,
                    point.get_kind_display(),
                    *(total.stances[stance] for stance in charts.ORDER),
                    total.interviews_quoted,
                    total.quotes,
                ]
            )

        for label, value in (
            ("Study", study.title),
            ("Goal", study.goal),
            ("Decision it informs", study.decision),
            ("Interviews", f"{rows}, {summarised} of them with a summary"),
            ("Filters", filters.describe() if filters.narrowed else "none: every interview"),
            ("Participants", PSEUDONYMISED if hide.on else "named"),
            ("Exported", timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
            ("In Heard", links.study(study)),
        ):
            about.append([label, value])
    return book.handle
