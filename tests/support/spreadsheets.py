"""CSV both ways: files built in the test to upload, and a download read back as a spreadsheet
would read it (UTF-8 with a byte-order mark); an XLSX file as a person sees it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from openpyxl import load_workbook


def csv_text(
    rows: Sequence[Sequence[str]], delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL
) -> str:
    """`rows` as CSV text, with the CRLF line ends spreadsheets write."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=quoting).writerows(rows)
    return out.getvalue()


def csv_file(
    rows: Sequence[Sequence[str]], name: str = "people.csv", encoding: str = "utf-8"
) -> SimpleUploadedFile:
    """`rows` as an uploaded CSV file."""
    return SimpleUploadedFile(name, csv_text(rows).encode(encoding), content_type="text/csv")


def raw_file(data: bytes, name: str = "people.csv") -> SimpleUploadedFile:
    """`data` as an uploaded file that claims to be CSV."""
    return SimpleUploadedFile(name, data, content_type="text/csv")


def csv_download(response) -> tuple[bytes, list[list[str]]]:  # type: ignore[no-untyped-def]
    """The bytes of a streamed CSV download, and its rows as a spreadsheet would read them."""
    assert isinstance(response, StreamingHttpResponse)
    data = b"".join(response.streaming_content)
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# The list separators spreadsheets use by locale: English, much of Europe, tab-separated.
LOCALE_SEPARATORS = (",", ";", "\t")
FORMULA_CHARACTERS = ("=", "+", "-", "@")


def cells_as_spreadsheets_read(data: bytes, separator: str) -> list[str]:
    """Every cell a spreadsheet whose list separator is `separator` may find in CSV `data`:
    read as CSV (quotes respected), and split at every separator and line break by one that
    ignores quotes (each cell's one enclosing quote dropped, spaces trimmed)."""
    text = data.decode("utf-8-sig")
    respected = [
        cell
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        for cell in row
    ]
    ignored = [
        cell.strip(" ").removeprefix('"').strip(" ")
        for line in re.split(r"\r\n|\r|\n", text)
        for cell in line.split(separator)
    ]
    return [cell.lstrip(" ") for cell in respected] + ignored


def formulas_in(data: bytes) -> dict[str, list[str]]:
    """The cells a spreadsheet in each locale would run as a formula."""
    return {
        separator: [
            cell
            for cell in cells_as_spreadsheets_read(data, separator)
            if cell.startswith(FORMULA_CHARACTERS)
        ]
        for separator in LOCALE_SEPARATORS
    }


# OOXML's escape for a character written as its code (ECMA-376 ST_Xstring): "_x000D_" is a
# carriage return, and "_x005F_" the underscore of typed text that would read as one.
_XSTRING = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_value(value: object) -> object:
    """A cell's value as spreadsheets read it. openpyxl leaves the ST_Xstring escapes of an
    inline string as they are in the file; Excel and LibreOffice decode them."""
    if not isinstance(value, str):
        return value
    return _XSTRING.sub(lambda found: chr(int(found.group(1), 16)), value)


def xlsx_as_seen(data: bytes) -> dict[str, dict[str, Any]]:
    """What a person sees of an XLSX file, sheet by sheet: every cell's value, link, number
    format, boldness and wrapping, the frozen panes, the columns' widths and the rows' heights."""
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: {
            "cells": [
                [
                    (
                        cell.value,
                        cell.hyperlink.target if cell.hyperlink else None,
                        cell.number_format,
                        cell.font.b,
                        cell.alignment.wrap_text,
                    )
                    for cell in row
                ]
                for row in sheet.iter_rows()
            ],
            "frozen": sheet.freeze_panes,
            "widths": {key: column.width for key, column in sheet.column_dimensions.items()},
            "heights": {key: row.height for key, row in sheet.row_dimensions.items()},
        }
        for sheet in book.worksheets
    }
