"""The synthesis matrix as a spreadsheet: XLSX (openpyxl) and CSV.

The XLSX file has four sheets. "Matrix": a row per interview and, for each validation point,
its stance, "What they said" (the quotes, each with its time into the call) and "What we
heard", the header frozen, the text wrapped. "Stance counts": per point, how the summaries
stand on it and how much evidence backs that. "Quotes": every quote with its interview, its
speaker, its time into the call and a link back to its note in Heard. "About": the study and
the filters the file was made with. The CSV file is the "Matrix" sheet alone.

Everything people typed passes through `core.spreadsheets`: control characters XLSX cannot
hold are dropped, and text that would start a formula is neutralised. The workbook is written
in openpyxl's write-only mode, rows streamed to a temporary file a chunk of interviews at a
time, so a big study never sits in memory whole.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from typing import IO, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from heard.core.downloads import name_part
from heard.core.spreadsheets import CELL_MAX, xlsx_text
from heard.interviews.models import Interview, NoteKind
from heard.studies.models import Study, ValidationPoint
from heard.synthesis.findings import charts
from heard.synthesis.matrix import queries as matrix
from heard.synthesis.models import Bearing, Quote, Stance, SummaryStatus

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Look(StrEnum):
    """How a column's cells look (see _Sheet)."""

    TEXT = "text"
    LINK = "link"
    DATE = "date"
    PLAIN = "plain"


# A column: its title, its width in characters and its look.
Column = tuple[str, int, Look]
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
    ("Time", 7, Look.PLAIN),
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
# Points per line of the default 11-point font, and the tallest row spreadsheets allow.
LINE_HEIGHT = 15
ROW_MAX = 409
BEARINGS = {**dict(Bearing.choices), Bearing.UNMARKED: ""}
NOTE_KINDS = dict(NoteKind.choices)


def file_name(study: Study, extension: str, today: datetime.date) -> str:
    """heard-matrix-reporting-pains-2027-01-15.xlsx, keeping letters of any script."""
    name = name_part(study.title) or f"study-{study.pk}"
    return f"heard-matrix-{name}-{today.isoformat()}.{extension}"


# What the cells say -----------------------------------------------------------------------------


def said(quotes: Sequence[Quote]) -> str:
    """The quotes of a cell, one paragraph each, cut to what one spreadsheet cell holds."""
    paragraphs: list[str] = []
    room = CELL_MAX - 80  # for the line that says what was left out
    for index, quote in enumerate(quotes):
        paragraph = f"“{quote.text.strip()}” ({quote.elapsed_label}{_bearing(quote)})"
        room -= len(paragraph) + 2
        if room < 0:
            left = len(quotes) - index
            paragraphs.append(f"… and {left} more quote{'s' if left > 1 else ''}: see “Quotes”.")
            break
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _bearing(quote: Quote) -> str:
    return "" if quote.bearing == Bearing.UNMARKED else f", {quote.get_bearing_display().lower()}"


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
        """The note in the wrap-up, or the quote in the summary once its note is gone."""
        if quote.source_is_gone:
            return self._to("summaries:detail", interview.pk) + f"#quote-{quote.pk}"
        return self._to("interviews:wrapup", interview.pk) + f"#note-{quote.note_id}"


def header(points: Sequence[ValidationPoint]) -> tuple[list[str], list[str]]:
    """Two header rows: each point's label and statement over its three columns, then the
    columns' names."""
    over = [""] * len(ROW_COLUMNS)
    names = [title for title, _, _ in ROW_COLUMNS]
    for point in points:
        over += [point.label, point.statement, ""]
        names += [title for title, _, _ in POINT_COLUMNS]
    return over, names


def matrix_line(row: matrix.Row, links: Links) -> list[Any]:
    interview = row.interview
    person = interview.participant
    summary = row.summary
    status = NO_SUMMARY if summary is None else SummaryStatus(summary.status).label
    line: list[Any] = [
        interview.local_start.date(),
        person.name,
        person.company,
        person.segment,
        _names(interview),
        status,
        links.interview(row),
    ]
    for cell in row.cells:
        line += [cell.stance_label, said(cell.quotes), cell.what_we_heard]
    return line


def quote_lines(row: matrix.Row, links: Links, authors: dict[int, str]) -> Iterator[list[Any]]:
    """A line per quote of the row. `authors`: the names of the notes' authors, by id."""
    interview = row.interview
    person = interview.participant
    first = [interview.local_start.date().isoformat(), person.name, person.company, person.segment]
    for cell in row.cells:
        point = [cell.point.label, cell.stance_label]
        for quote in cell.quotes:
            yield [
                *first,
                *point,
                BEARINGS.get(quote.bearing, ""),
                quote.text,
                quote.elapsed_label,
                speaker(quote, person.name, authors),
                links.quote(interview, quote),
            ]


def speaker(quote: Quote, customer: str, authors: dict[int, str]) -> str:
    """Whose words these are: the customer's, when the note was a quote (their words as said);
    otherwise the team member's, who noted a pain, a KPI… in their own words."""
    note = quote.note
    if quote.source_is_gone or note is None:
        return "Unknown: the note was deleted from the call"
    if note.kind == NoteKind.QUOTE:
        return customer
    kind = NOTE_KINDS[note.kind]
    author = authors.get(note.author_id or 0, "someone no longer in Heard")
    return f"Noted by {author} ({kind if kind.isupper() else kind.lower()})"


# CSV -------------------------------------------------------------------------------------------


def csv_lines(
    interviews: QuerySet[Interview], points: list[ValidationPoint], links: Links
) -> Iterator[list[Any]]:
    """The "Matrix" sheet as CSV lines: one header row ("VP1 stance", …), a row per interview."""
    names = [title for title, _, _ in ROW_COLUMNS]
    for point in points:
        names += [f"{point.label} {title.lower()}" for title, _, _ in POINT_COLUMNS]
    yield names
    for row in matrix.every_row(interviews, points):
        yield matrix_line(row, links)


# XLSX ------------------------------------------------------------------------------------------


class _Sheet:
    """A write-only sheet whose cells are made safe as they are appended.

    Each column has a `Look`: TEXT (wrapped), LINK (a hyperlink), DATE, or PLAIN (short
    values: no style of their own, which keeps big sheets fast). Rows whose text wraps get a
    height that shows it: spreadsheets do not work it out for a file they did not write."""

    def __init__(
        self,
        book: Workbook,
        title: str,
        columns: Sequence[Column],
        *,
        lines: int = 1,
        top: bool = True,
    ) -> None:
        """`lines`: the height of a row, in lines, unless its text needs more (rows of one
        height are cheaper to write than rows of their own). `top`: styled cells sit at the
        top of their row; otherwise at the bottom, with the plain ones, as spreadsheets put
        every cell by default."""
        self.sheet: WriteOnlyWorksheet = book.create_sheet(title)
        self.looks = [look for _, _, look in columns]
        self.widths = [width for _, width, _ in columns]
        self.styles = STYLES_TOP if top else STYLES_BOTTOM
        self.rows = 0
        self.lines = lines
        for index, width in enumerate(self.widths, 1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        if lines > 1:
            self.sheet.sheet_format.defaultRowHeight = _height(lines)
            self.sheet.sheet_format.customHeight = True

    def head(self, values: Sequence[str]) -> None:
        texts = [xlsx_text(value) for value in values]
        self._fit(texts, wrapped=(Look.TEXT,) * len(texts))
        self.sheet.append([self._styled(text, "heard-head") for text in texts])

    def append(self, values: Sequence[Any]) -> None:
        cells = [self._cell(value, look) for value, look in zip(values, self.looks, strict=False)]
        self._fit(values, wrapped=self.looks)
        self.sheet.append(cells)

    def _fit(self, values: Sequence[Any], wrapped: Sequence[Look]) -> None:
        self.rows += 1
        lines = 1
        for value, look, width in zip(values, wrapped, self.widths, strict=False):
            if look == Look.TEXT and isinstance(value, str) and len(value) > width - 2:
                lines = max(lines, _lines(value, width - 2))
        if lines > self.lines:
            self.sheet.row_dimensions[self.rows].height = _height(lines)

    def _cell(self, value: Any, look: Look) -> Any:
        if isinstance(value, str):
            value = xlsx_text(value)
            if not value:
                return None
            if look == Look.LINK:
                cell = self._styled(value, self.styles[Look.LINK])
                cell.hyperlink = value
                return cell
            if look == Look.PLAIN and value not in ERROR_CODES:
                return value
        look = Look.DATE if isinstance(value, datetime.date) else Look.TEXT
        return self._styled(value, self.styles[look])

    def _styled(self, value: Any, style: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula or an error code ("#N/A"), whatever it says
        cell.style = style
        return cell


def _height(lines: int) -> float:
    return min(LINE_HEIGHT * lines + 3, ROW_MAX)


def _lines(text: str, width: int) -> int:
    """About how many lines `text` takes, wrapped in a column `width` characters wide."""
    return sum(max(1, -(-len(line) // width)) for line in text.split("\n"))


STYLES_TOP = {Look.TEXT: "heard-text", Look.LINK: "heard-link", Look.DATE: "heard-date"}
STYLES_BOTTOM = {Look.TEXT: "heard-wrap", Look.LINK: "heard-link-low", Look.DATE: "heard-date-low"}


def _styles(book: Workbook) -> None:
    # The workbook's own font, named, so that styled cells look like the plain ones.
    font = Font(name="Calibri", size=11)
    top = Alignment(wrap_text=True, vertical="top")
    link = Font(name="Calibri", size=11, color="1F4E79", underline="single")
    fill = PatternFill("solid", fgColor="E7EEF6")
    bold = Font(name="Calibri", size=11, bold=True)
    for style in (
        NamedStyle("heard-head", font=bold, fill=fill, alignment=top),
        NamedStyle("heard-text", font=font, alignment=top),
        NamedStyle("heard-link", font=link, alignment=top),
        NamedStyle("heard-date", font=font, number_format="yyyy-mm-dd", alignment=top),
        NamedStyle("heard-wrap", font=font, alignment=Alignment(wrap_text=True)),
        NamedStyle("heard-link-low", font=link),
        NamedStyle("heard-date-low", font=font, number_format="yyyy-mm-dd"),
    ):
        book.add_named_style(style)


def workbook(
    study: Study,
    points: list[ValidationPoint],
    interviews: QuerySet[Interview],
    filters: matrix.Filters,
    links: Links,
) -> IO[bytes]:
    """The XLSX file, in a temporary file rewound to its start (closing it deletes it)."""
    book = Workbook(write_only=True)
    _styles(book)
    columns = [*ROW_COLUMNS, *(column for _ in points for column in POINT_COLUMNS)]
    grid = _Sheet(book, "Matrix", columns)
    grid.sheet.freeze_panes = "C3"
    counts = _Sheet(book, "Stance counts", COUNT_COLUMNS)
    counts.sheet.freeze_panes = "C2"
    # Most quotes take a line or two in their column; the short values beside them sit where
    # a spreadsheet puts them, at the bottom, and so does the quote.
    quotes = _Sheet(book, "Quotes", QUOTE_COLUMNS, lines=2, top=False)
    quotes.sheet.freeze_panes = "C2"
    about = _Sheet(book, "About", (("", 22, Look.TEXT), ("", 90, Look.TEXT)))

    for line in header(points):
        grid.head(line)
    quotes.head([title for title, _, _ in QUOTE_COLUMNS])
    rows = summarised = 0
    authors = matrix.note_authors(study)
    for row in matrix.every_row(interviews, points):
        rows += 1
        summarised += row.summary is not None
        grid.append(matrix_line(row, links))
        for line in quote_lines(row, links, authors):
            quotes.append(line)

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
        ("Exported", timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
        ("In Heard", links.study(study)),
    ):
        about.append([label, value])

    handle = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
    book.save(handle)
    handle.seek(0)
    return handle
