"""Reading a participant CSV file: its encoding, its delimiter, its header and its rows.

Pure functions, no database. Row numbers are those a spreadsheet shows: the header is row 1,
the first participant row 2.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_COLUMNS = 100
# The longest cell and row read: far above any name, email or profile value (500 characters),
# and low enough that a file made to be heavy is refused at its first such row.
MAX_CELL_CHARS = 10_000
MAX_ROW_CHARS = 100_000

_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zipped file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
)
_SAVE_AS_CSV = (
    "In your spreadsheet choose File → Save as (or Download) → CSV UTF-8, then upload that file."
)
NOT_UTF8 = "This file is not UTF-8 text; save it as CSV UTF-8 and upload again."


class ImportFileError(ValueError):
    """The file as a whole cannot be read as a participant table."""


# Reading the file ---------------------------------------------------------------------------


def decode_upload(data: bytes) -> str:
    """The file's text: UTF-8, with or without a byte-order mark; anything else is refused."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(
            "This file is empty. Upload a CSV file with a header row and one row per participant."
        )
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ImportFileError(
                f"This file is {kind}, not CSV text (perhaps it was renamed to .csv). {_SAVE_AS_CSV}"
            )
    utf16 = _utf16_flavour(data)
    if utf16:
        raise ImportFileError(f"{NOT_UTF8} (It looks like {utf16}.)")
    if b"\x00" in data:
        raise ImportFileError(
            f"This is a binary file, not CSV text (it contains NUL bytes). {_SAVE_AS_CSV}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        where = f" The first character that is not UTF-8 is on line {line}."
        guess = _likely_legacy_encoding(data)
        hint = f" (It looks like {guess}.)" if guess else ""
        raise ImportFileError(f"{NOT_UTF8}{hint}{where}") from None


def _utf16_flavour(data: bytes) -> str:
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16, which Excel calls “Unicode Text”"
    sample = data[:4000]
    if len(sample) >= 8:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        if max(even_nuls, odd_nuls) > 0.6 * half and min(even_nuls, odd_nuls) < 0.05 * half:
            return "UTF-16 without a byte-order mark"
    return ""


def _likely_legacy_encoding(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return "Windows-1252 or Latin-1, which Excel uses for plain “CSV”"


@dataclass(frozen=True)
class Row:
    number: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]
    blank_rows: int = 0

    def column_name(self, index: int) -> str:
        header = self.headers[index].strip() if index < len(self.headers) else ""
        return header or f"Column {index + 1}"

    def samples(self, index: int, count: int = 3) -> list[str]:
        """The first few different values of a column, as examples."""
        values: list[str] = []
        for row in self.rows:
            value = row.cells[index].strip() if index < len(row.cells) else ""
            if value and value not in values:
                values.append(value)
            if len(values) == count:
                break
        return values


def _delimiter(first_line: str) -> str:
    """Comma, or what a European Excel or a tab-separated export used instead."""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def looks_like_email(value: str) -> bool:
    try:
        validate_email(value.strip())
    except ValidationError:
        return False
    return True


_LINE = re.compile(r".*?(?:\r\n|\r|\n)|.+", re.DOTALL)


def _lines(text: str, start: int) -> Iterator[str]:
    """The text's lines from `start`, with their ends, one at a time: reading stops where the
    reader does, with no copy of the whole text."""
    for line in _LINE.finditer(text, start):
        yield line.group()


def read_table(text: str, max_rows: int) -> Table:
    """Split the text into a header and rows; refuse a file with no header or too many rows."""
    text = text.lstrip("\ufeff")
    first_line = text[: text.find("\n")] if "\n" in text[:4096] else text[:4096]
    start = line_offset = 0
    sep_hint = re.fullmatch(r"sep=(.)\r?", first_line)
    if sep_hint:  # Excel's "sep=;" first line names the delimiter
        delimiter = sep_hint.group(1)
        start = len(first_line) + 1
        line_offset = 1
    else:
        delimiter = _delimiter(first_line)
    reader = csv.reader(_lines(text, start), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[Row] = []
    blank = 0
    number = line_offset
    # Reading stops at the first row past a limit: a file of millions of tiny rows costs
    # what its first ten thousand do.
    try:
        for cells in reader:
            number += 1
            if headers is None:
                headers = _check_header(cells)
                _check_size(cells, number)
                continue
            _check_size(cells, number)
            if _is_blank(cells):
                blank += 1
                if blank > max_rows:
                    raise ImportFileError(
                        f"This file has more than {max_rows:,} empty rows. Remove them "
                        "(in a spreadsheet: sort by the first column, then delete the empty "
                        "rows at the end) and upload it again."
                    )
                continue
            if len(rows) == max_rows:
                raise ImportFileError(
                    f"This file has more than {max_rows:,} rows of participants; one import "
                    f"takes at most {max_rows:,}. Split it into files of {max_rows:,} rows "
                    "or fewer and import each."
                )
            rows.append(Row(number, cells))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(_too_long_cell(number + 1)) from None
        raise ImportFileError(
            f"Row {number + 1} cannot be read as CSV ({error}). Check the quotes in that row."
        ) from None
    if headers is None:
        raise ImportFileError(
            "This file is empty. Upload a CSV file with a header row and one row per participant."
        )
    if not rows:
        raise ImportFileError(
            "This file has a header row but no participants in it. Add one row per participant."
        )
    return Table(headers=headers, rows=rows, blank_rows=blank)


def _too_long_cell(number: int) -> str:
    return (
        f"Row {number} has a cell of more than {MAX_CELL_CHARS:,} characters; an import "
        "reads shorter ones. Check the quotes in that row (a quote left open runs on into "
        "the next rows), or shorten that cell."
    )


def _check_size(cells: list[str], number: int) -> None:
    """Refuse a row with more cells, or longer ones, than an import reads."""
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            f"Row {number} has {len(cells)} cells; an import reads at most {MAX_COLUMNS} "
            "columns. Remove the columns you do not need, or check that row's separators."
        )
    if any(len(cell) > MAX_CELL_CHARS for cell in cells):
        raise ImportFileError(_too_long_cell(number))
    if sum(len(cell) for cell in cells) > MAX_ROW_CHARS:
        raise ImportFileError(
            f"Row {number} holds more than {MAX_ROW_CHARS:,} characters; an import reads "
            "shorter rows. Shorten the long cells in that row."
        )


def _check_header(cells: list[str]) -> list[str]:
    if _is_blank(cells):
        raise ImportFileError(
            "The first row is empty. It must name the columns, for example: Name, Email, Company."
        )
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            f"This file has {len(cells)} columns; an import reads at most {MAX_COLUMNS}. "
            "Remove the columns you do not need."
        )
    for cell in cells:
        if "@" in cell and looks_like_email(cell):
            raise ImportFileError(
                "The first row looks like a participant (it holds the email address "
                f"“{cell.strip()}”), not the names of the columns. Add a header row, for "
                "example: Name, Email, Company."
            )
    return [cell.strip() for cell in cells]
