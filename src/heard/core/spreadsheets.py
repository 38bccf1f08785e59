"""Text bound for spreadsheets, CSV or XLSX: the one place that makes typed text safe there.

A CSV file carries no types: spreadsheets run a value that starts with = + - @ (or a tab or
carriage return before one) as a formula, so such values get a leading single quote. Every
field is quoted, and a formula start after a separator (`;` `,` tab) or a line break inside a
value gets its quote too: a spreadsheet that splits the file on another separator than
Heard's (`;` in much of Europe) or ignores the quotes still finds no formula. An XLSX
file says which cells are text: Heard writes typed text as string cells, never formulas, so
there it stays exactly as typed (a quote would show, and change a verbatim quote or a phone
number). XLSX cannot hold most control characters at all (openpyxl refuses them): they are
dropped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence

from openpyxl.cell.cell import ERROR_CODES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start where a spreadsheet may begin a cell inside a value: after a separator or
# a line break (and any spaces a spreadsheet trims).
_INNER_FORMULA = re.compile(r"([;,\t\r\n] *)(?=[=+\-@])")
BOM = "\ufeff"
# What the XML inside an XLSX file cannot carry: C0 controls other than tab, line feed and
# carriage return (the characters openpyxl's IllegalCharacterError is about).
NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The longest text one cell holds in Excel.
CELL_MAX = 32_767


def neutralise(value: str) -> str:
    """The text as typed, but never a formula wherever a spreadsheet may start a cell in it:
    for CSV, whose cells have no type."""
    value = _INNER_FORMULA.sub(r"\1'", value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold: the text as typed, less the control characters XLSX
    cannot carry. It is safe only in a cell typed as a string (data type "s"), never one
    whose type openpyxl guesses from the value (`needs_string_type`)."""
    return NOT_IN_XLSX.sub("", value)


def needs_string_type(value: str) -> bool:
    """Whether openpyxl would take this text for a formula or an error code ("#N/A") unless
    its cell is typed as a string."""
    return value.startswith("=") or value in ERROR_CODES


class _Echo:
    """A file-like object whose write() hands back what it was given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_stream(lines: Iterable[Sequence[object]]) -> Iterator[str]:
    """CSV text, UTF-8 with a byte-order mark so that Excel reads accents and scripts right.
    Each line is written as it comes, so a big export streams; a value that is not text
    (a date, a number) is written as str() writes it."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield BOM
    for line in lines:
        yield writer.writerow([neutralise(_text(value)) for value in line])


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
