"""Writing XLSX sheets cell by cell, in openpyxl's write-only mode, with Heard's few styles:
each column has a look (wrapped text, a link, a date, or a plain short value) and rows of
wrapped text get the height that shows it. The matrix export (`spreadsheet.py`) uses it.

Every text cell is written as a string cell (data type "s"), whatever it says: text that
starts with = stays text, never a formula, and "#N/A" is not an error code. Control
characters XLSX cannot hold are dropped (`core.spreadsheets.xlsx_text`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from heard.core.spreadsheets import needs_string_type, xlsx_text


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


class Sheet:
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
            if look == Look.PLAIN:
                return self._plain(value)
        look = Look.DATE if isinstance(value, datetime.date) else Look.TEXT
        return self._styled(value, self.styles[look])

    def _plain(self, value: str) -> Any:
        """A cell without a style: the value itself, unless openpyxl would guess it a formula
        or an error code."""
        if not needs_string_type(value):
            return value
        cell = WriteOnlyCell(self.sheet, value)
        cell.data_type = "s"
        return cell

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


def add_styles(book: Workbook) -> None:
    """The named styles `Sheet` gives its cells."""
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
