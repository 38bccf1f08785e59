"""Text bound for spreadsheets, CSV or XLSX: the one place that makes typed text safe there.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one)
as a formula: such cells get a leading single quote, which shows the text as typed. XLSX
cannot hold most control characters at all (openpyxl refuses them): they are dropped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
# What the XML inside an XLSX file cannot carry: C0 controls other than tab, line feed and
# carriage return (the characters openpyxl's IllegalCharacterError is about).
NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The longest text one cell holds in Excel.
CELL_MAX = 32_767


def neutralise(value: str) -> str:
    """The text as typed, but never a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold and shows as typed: no control characters, no formula."""
    return neutralise(NOT_IN_XLSX.sub("", value))


class _Echo:
    """A file-like object whose write() hands back what it was given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_stream(lines: Iterable[Sequence[object]]) -> Iterator[str]:
    """CSV text, UTF-8 with a byte-order mark so that Excel reads accents and scripts right.
    Each line is written as it comes, so a big export streams; a value that is not text
    (a date, a number) is written as str() writes it."""
    writer = csv.writer(_Echo())
    yield BOM
    for line in lines:
        yield writer.writerow([neutralise(_text(value)) for value in line])


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
