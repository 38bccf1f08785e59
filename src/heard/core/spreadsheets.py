"""Text bound for spreadsheets, CSV or XLSX: the one place that makes typed text safe there.

A CSV file carries no types: spreadsheets run a value that starts with = + - @ (or a tab or
carriage return before one) as a formula, so such values get a leading single quote. Every
field is quoted, and a formula start after a separator (`;` `,` tab) or a line break inside a
value gets its quote too: a spreadsheet that splits the file on another separator than
Heard's (`;` in much of Europe) or ignores the quotes still finds no formula. An XLSX
file says which cells are text: Heard writes typed text as string cells, never formulas, so
there it stays exactly as typed (a quote would show, and change a verbatim quote or a phone
number). XLSX cannot hold most control characters at all (the XML it is made of has no
place for them): they are dropped, and text is cut to what one cell holds.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start where a spreadsheet may begin a cell inside a value: after a separator or
# a line break (and any spaces a spreadsheet trims).
_INNER_FORMULA = re.compile(r"([;,\t\r\n] *)(?=[=+\-@])")
BOM = "\ufeff"
# What the XML inside an XLSX file cannot carry: C0 controls other than tab, line feed and
# carriage return.
NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The longest text one cell holds in Excel, in UTF-16 code units (a character outside the
# Basic Multilingual Plane, such as most emoji, takes two).
CELL_MAX = 32_767


def neutralise(value: str) -> str:
    """The text as typed, but never a formula wherever a spreadsheet may start a cell in it:
    for CSV, whose cells have no type."""
    value = _INNER_FORMULA.sub(r"\1'", value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold: the text as typed, less the control characters XLSX
    cannot carry, cut to CELL_MAX (never inside a character). It is safe only in a cell
    typed as a string, never one whose type the writer guesses from the value."""
    value = NOT_IN_XLSX.sub("", value)
    if len(value) > CELL_MAX // 2 and len(units := value.encode("utf-16-le")) > 2 * CELL_MAX:
        # "ignore" drops the half of a character that the cut splits.
        value = units[: 2 * CELL_MAX].decode("utf-16-le", "ignore")
    return value


def xlsx_values[V](values: Sequence[V]) -> Sequence[V]:
    """A row's values with each text as `xlsx_text` makes it. The row's texts are looked at
    together first: most rows hold nothing XLSX cannot carry and nothing near a cell's size,
    and one look at them all costs less than one a cell."""
    joined = "\n".join([value for value in values if isinstance(value, str)])
    if len(joined) <= CELL_MAX // 2 and NOT_IN_XLSX.search(joined) is None:
        return values
    return [xlsx_text(value) if isinstance(value, str) else value for value in values]  # type: ignore[misc]


def looks_like_rich_text(value: str) -> bool:
    """Whether XlsxWriter would copy this text into the file unescaped, as rich text it made
    itself (a string cell written with `write_string`), unless it is written as rich text."""
    return value.startswith("<r>") and value.endswith("</r>")


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
