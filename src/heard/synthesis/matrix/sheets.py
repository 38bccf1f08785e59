"""Writing XLSX sheets row by row with XlsxWriter, in its constant-memory mode, with Heard's
few formats: each column has a look (wrapped text, a link, a date, or a plain short value)
and rows of wrapped text get the height that shows it. The matrix export (`spreadsheet.py`)
uses it.

In constant-memory mode each sheet goes to a temporary file of its own a row at a time, so
rows must come in order within a sheet (sheets may take turns); only the row being written
and each sheet's links stay in memory.

Every text cell is written as a string cell (`write_string`, never `write`, which guesses
formulas, numbers and links from text): text that starts with = stays text, never a
formula, and "#N/A" is not an error code. Numbers and dates have their own methods. Control
characters XLSX cannot hold are dropped and text is cut to what a cell holds
(`core.spreadsheets.xlsx_text`). XlsxWriter writes a string that starts with "<r>" and ends
with "</r>" into the file as it is, taking it for rich text it made itself: such text is
written as rich text of two runs instead, each escaped, the cell's text unchanged.
"""

from __future__ import annotations

import contextlib
import datetime
import tempfile
from collections.abc import Iterator, Sequence
from enum import StrEnum
from types import TracebackType
from typing import IO, Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from heard.core.spreadsheets import looks_like_rich_text, xlsx_text, xlsx_values


class Look(StrEnum):
    """How a column's cells look (see Sheet)."""

    TEXT = "text"
    LINK = "link"
    DATE = "date"
    PLAIN = "plain"


# A column: its title, its width in characters and its look.
Column = tuple[str, int, Look]
# Points per line of the default 11-point font, and the tallest row spreadsheets allow.
LINE_HEIGHT = 15
ROW_MAX = 409
# The width of a digit of the default font (Calibri 11), in pixels: a column `width`
# characters wide is `width` times that.
DIGIT_PIXELS = 7
# The most links Excel takes on one sheet; past them a link's cell holds its address as text.
LINKS_MAX = 65_530
# Text is only ever written as text: `write()` would otherwise guess formulas, numbers and
# links from it, should anything call it.
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}

# The formats keep XlsxWriter's default font (Calibri 11), the one plain cells have.
TOP = {"text_wrap": True, "valign": "top"}
LINK_FONT = {"font_color": "#1F4E79", "underline": 1}
DATE = {"num_format": "yyyy-mm-dd"}


class Book:
    """An XLSX workbook written into `handle`, a binary file open for writing; closing the
    book (or leaving its `with` block, even by an error) finishes the file and removes the
    temporary files of its sheets."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.workbook = Workbook(handle, OPTIONS)
        add = self.workbook.add_format
        self.head = add({**TOP, "bold": True, "pattern": 1, "bg_color": "#E7EEF6"})
        # The font of a run of rich text in a cell without a format.
        self.plain = add()
        # Styled cells at the top of their row, or at the bottom, where spreadsheets put
        # every cell by default.
        self.top = {
            Look.TEXT: add(TOP),
            Look.LINK: add({**TOP, **LINK_FONT}),
            Look.DATE: add({**TOP, **DATE}),
        }
        self.bottom = {
            Look.TEXT: add({"text_wrap": True}),
            Look.LINK: add(LINK_FONT),
            Look.DATE: add(DATE),
        }

    def sheet(
        self, title: str, columns: Sequence[Column], *, lines: int = 1, top: bool = True
    ) -> Sheet:
        """A new sheet, after those made before it. `lines`: the height of a row, in lines,
        unless its text needs more (rows of one height are cheaper to write than rows of
        their own). `top`: styled cells sit at the top of their row; otherwise at the bottom,
        with the plain ones, as spreadsheets put every cell by default."""
        return Sheet(self, title, columns, lines=lines, top=top)

    def close(self) -> None:
        self.workbook.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


@contextlib.contextmanager
def temporary_book() -> Iterator[Book]:
    """A book written into a temporary file (`book.handle`: closing it deletes it), rewound
    to its start once the block ends, closed if the block fails."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (whoever reads the book closes it)
    try:
        with Book(handle) as book:
            yield book
    except BaseException:
        handle.close()
        raise
    handle.seek(0)


class Sheet:
    """A sheet whose cells are made safe as they are appended, a row at a time.

    Each column has a `Look`: TEXT (wrapped), LINK (a hyperlink), DATE, or PLAIN (short
    values: no format of their own, which keeps big sheets small). Rows whose text wraps get
    a height that shows it: spreadsheets do not work it out for a file they did not write."""

    def __init__(
        self, book: Book, title: str, columns: Sequence[Column], *, lines: int, top: bool
    ) -> None:
        self.book = book
        self.sheet: Worksheet = book.workbook.add_worksheet(title)
        self.looks = [Look(look) for _, _, look in columns]  # members, compared by identity
        self.widths = [width for _, width, _ in columns]
        self.formats = book.top if top else book.bottom
        self.text = self.formats[Look.TEXT]
        self.rows = 0
        self.lines = lines
        self.links = 0
        for index, width in enumerate(self.widths):
            self.sheet.set_column_pixels(index, index, width * DIGIT_PIXELS)
        if lines > 1:
            self.sheet.set_default_row(_height(lines))

    def freeze(self, rows: int, columns: int) -> None:
        """Keep the first `rows` rows and `columns` columns in view."""
        self.sheet.freeze_panes(rows, columns)

    def head(self, values: Sequence[str]) -> None:
        texts = [xlsx_text(value) for value in values]
        row = self._next_row()
        lines = 1
        for column, (text, width) in enumerate(zip(texts, self.widths, strict=False)):
            if text:
                lines = max(lines, _lines(text, width - 2))
                self._string(row, column, text, self.book.head)
            else:
                self.sheet.write_blank(row, column, None, self.book.head)
        self._fit(row, lines)

    def append(self, values: Sequence[Any]) -> None:
        row = self._next_row()
        lines = 1
        for column, (value, look, width) in enumerate(
            zip(xlsx_values(values), self.looks, self.widths, strict=False)
        ):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                if look is Look.LINK:
                    self._link(row, column, value)
                elif look is Look.PLAIN:
                    self._string(row, column, value, None)
                else:
                    if look is Look.TEXT and len(value) > width - 2:
                        lines = max(lines, _lines(value, width - 2))
                    self._string(row, column, value, self.text)
            elif isinstance(value, datetime.date):
                self.sheet.write_datetime(row, column, value, self.formats[Look.DATE])
            elif isinstance(value, int | float):
                self.sheet.write_number(row, column, value, self.text)
            else:
                raise TypeError(f"no XLSX cell for {type(value).__name__}")
        self._fit(row, lines)

    def _next_row(self) -> int:
        self.rows += 1
        return self.rows - 1

    def _fit(self, row: int, lines: int) -> None:
        """Make `row` as tall as its `lines` of wrapped text, if taller than the sheet's rows
        (before the next row is written, which sends this one to the file)."""
        if lines > self.lines:
            self.sheet.set_row(row, _height(lines))

    def _link(self, row: int, column: int, address: str) -> None:
        """A link to an address Heard made, its text the address itself."""
        self.links += 1
        if self.links > LINKS_MAX:
            self._string(row, column, address, None)
        else:
            self.sheet.write_url(row, column, address, self.formats[Look.LINK])

    def _string(self, row: int, column: int, text: str, style: Format | None) -> None:
        """`text` in a string cell, whatever it says."""
        if text[:1] == "<" and looks_like_rich_text(text):  # the first look is the cheaper
            run = style or self.book.plain
            parts = (run, text[:1], run, text[1:])
            self.sheet.write_rich_string(row, column, *parts, *((style,) if style else ()))
        else:
            self.sheet.write_string(row, column, text, style)


def _height(lines: int) -> float:
    return min(LINE_HEIGHT * lines + 3, ROW_MAX)


def _lines(text: str, width: int) -> int:
    """About how many lines `text` takes, wrapped in a column `width` characters wide."""
    if "\n" not in text:
        return max(1, -(-len(text) // width))
    return sum(max(1, -(-len(line) // width)) for line in text.split("\n"))
