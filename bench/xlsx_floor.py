"""The floor under an XLSX export: the cells of a workbook, read back from the file, written
again by a library alone, with nothing of Heard's around them (no queries, no text rules).

`measure` times them. `read` loads a workbook into plain rows (untimed: openpyxl's reader);
`write_xlsxwriter` and `write_openpyxl` write those rows as fast as each library's own API
allows: the same sheets in the same order, the same values with their types (text, numbers,
dates; openpyxl guesses the type of text, and the benchmark study has none it would take
for a formula), the same formats (bold, fill, wrapping, alignment, link font, date format),
hyperlinks, column widths, row heights and frozen panes. XlsxWriter writes in its
constant-memory mode, openpyxl in its write-only mode (with lxml, when installed).
"""

from __future__ import annotations

import datetime
import io
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from typing import IO, Any

from support import peak_rss_mb, reset_peak, rss_mb

# A cell's format: bold, underlined, font colour, fill colour, wrapped, vertical alignment,
# number format; None for a cell without one.
Style = tuple[bool, bool, str, str, bool, str, str]
# A cell: its value (None: a formatted blank), its format and its link.
Cell = tuple[Any, Style | None, str | None]
DEFAULT_ROW_HEIGHT = 15


@dataclass
class Sheet:
    title: str
    widths: list[float] = field(default_factory=list)
    freeze: str | None = None
    default_height: float | None = None
    rows: list[tuple[float | None, list[Cell | None]]] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return sum(cell is not None for _, row in self.rows for cell in row)


def _rgb(color: Any) -> str:
    """A colour given as RGB (not a theme's), as XlsxWriter and openpyxl take it."""
    return str(color.rgb)[-6:] if color is not None and color.type == "rgb" else ""


def _style(cell: Any) -> Style | None:
    font, fill, alignment = cell.font, cell.fill, cell.alignment
    style = (
        bool(font.b),
        font.u is not None,
        _rgb(font.color),
        _rgb(fill.fgColor) if fill.fill_type == "solid" else "",
        bool(alignment.wrap_text),
        alignment.vertical or "",
        cell.number_format,
    )
    return None if style == (False, False, "", "", False, "", "General") else style


def read(source: IO[bytes]) -> list[Sheet]:
    """Every sheet of the workbook in `source`, as plain rows."""
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string

    book = load_workbook(source)
    sheets = []
    for ws in book:
        sheet = Sheet(ws.title, freeze=ws.freeze_panes)
        for letter, dimension in ws.column_dimensions.items():
            first = column_index_from_string(letter)
            for index in range(first, max(first, dimension.max or first) + 1):
                while len(sheet.widths) < index:
                    sheet.widths.append(0)
                sheet.widths[index - 1] = dimension.width
        if ws.sheet_format.customHeight:
            sheet.default_height = ws.sheet_format.defaultRowHeight
        styles: dict[tuple[int, ...], Style | None] = {}
        for index, line in enumerate(ws.iter_rows(), 1):
            dimension = ws.row_dimensions.get(index)
            height = dimension.height if dimension is not None else None
            if height == sheet.default_height:
                height = None
            row: list[Cell | None] = []
            for cell in line:
                # A cell openpyxl makes for a gap in the row has no style array.
                known = tuple(cell._style) if cell._style is not None else ()
                if known not in styles:
                    styles[known] = _style(cell) if known else None
                style = styles[known]
                if cell.value is None and style is None:
                    row.append(None)
                    continue
                link = None
                if cell.hyperlink is not None:
                    location = cell.hyperlink.location
                    link = cell.hyperlink.target + (f"#{location}" if location else "")
                row.append((cell.value, style, link))
            sheet.rows.append((height, row))
        sheets.append(sheet)
    book.close()
    return sheets


def _styles(sheets: list[Sheet]) -> list[Style]:
    """The formats the cells have, each once, in the order they first come."""
    found = {cell[1]: None for sheet in sheets for _, row in sheet.rows for cell in row if cell}
    return [style for style in found if style is not None]


def write_xlsxwriter(sheets: list[Sheet], handle: IO[bytes]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(handle, {"constant_memory": True})
    formats: dict[Style | None, Any] = {None: None}
    for style in _styles(sheets):
        bold, underline, color, fill, wrap, valign, number = style
        formats[style] = book.add_format(
            {
                "bold": bold,
                "underline": 1 if underline else 0,
                **({"font_color": f"#{color}"} if color else {}),
                **({"pattern": 1, "bg_color": f"#{fill}"} if fill else {}),
                "text_wrap": wrap,
                **({"valign": valign} if valign else {}),
                "num_format": number,
            }
        )
    for sheet in sheets:
        ws = book.add_worksheet(sheet.title)
        for index, width in enumerate(sheet.widths):
            if width:
                ws.set_column(index, index, width)
        if sheet.default_height:
            ws.set_default_row(sheet.default_height)
        if sheet.freeze:
            ws.freeze_panes(sheet.freeze)
        for r, (height, row) in enumerate(sheet.rows):
            if height:
                ws.set_row(r, height)
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                value, style, link = cell
                form = formats[style]
                if link is not None:
                    ws.write_url(r, c, link, form, value)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, form)
                elif isinstance(value, datetime.date):
                    ws.write_datetime(r, c, value, form)
                elif value is None:
                    ws.write_blank(r, c, None, form)
                else:
                    ws.write_number(r, c, value, form)
    book.close()


def write_openpyxl(sheets: list[Sheet], handle: IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    names: dict[Style, str] = {}
    for style in _styles(sheets):
        bold, underline, color, fill, wrap, valign, number = style
        names[style] = name = f"floor-{len(names)}"
        book.add_named_style(
            NamedStyle(
                name,
                font=Font(
                    name="Calibri",
                    size=11,
                    bold=bold,
                    underline="single" if underline else None,
                    color=color or None,
                ),
                fill=PatternFill("solid", fgColor=fill) if fill else PatternFill(),
                alignment=Alignment(wrap_text=wrap, vertical=valign or None),
                number_format=number,
            )
        )
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        for index, width in enumerate(sheet.widths, 1):
            if width:
                ws.column_dimensions[get_column_letter(index)].width = width
        if sheet.default_height:
            ws.sheet_format.defaultRowHeight = sheet.default_height
            ws.sheet_format.customHeight = True
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        for r, (height, row) in enumerate(sheet.rows, 1):
            if height:
                ws.row_dimensions[r].height = height
            line: list[Any] = []
            for cell in row:
                if cell is None:
                    line.append(None)
                    continue
                value, style, link = cell
                if style is None and link is None:
                    line.append(value)
                    continue
                written = WriteOnlyCell(ws, value)
                if style is not None:
                    written.style = names[style]
                if link is not None:
                    written.hyperlink = link
                line.append(written)
            ws.append(line)
    book.save(handle)


def measure(data: bytes, runs: int) -> dict[str, float]:
    """The cells of the file `data`, written `runs` times by XlsxWriter alone and by openpyxl
    alone, taking turns: the median time of each, the memory each adds at its peak to what
    the process held before it began, and the size of its file."""
    sheets = read(io.BytesIO(data))
    writers = {"floor": write_xlsxwriter, "openpyxl_floor": write_openpyxl}
    took: dict[str, list[float]] = {name: [] for name in writers}
    added: dict[str, float] = dict.fromkeys(writers, 0.0)
    sizes: dict[str, int] = {}
    for _ in range(runs):
        for name, write in writers.items():
            with tempfile.TemporaryFile() as handle:
                reset_peak()
                held = rss_mb()
                started = time.perf_counter()
                write(sheets, handle)
                took[name].append(time.perf_counter() - started)
                added[name] = max(added[name], peak_rss_mb() - held)
                sizes[name] = handle.tell()
    figures: dict[str, float] = {"floor_cells": sum(sheet.cells for sheet in sheets)}
    for name in writers:
        figures[f"xlsx_{name}_s"] = round(statistics.median(took[name]), 2)
        figures[f"xlsx_{name}_added_mb"] = round(added[name], 1)
        figures[f"xlsx_{name}_kb"] = round(sizes[name] / 1024)
    return figures
