"""CSV both ways: files built in the test to upload, and a download read back as a spreadsheet
would read it (UTF-8 with a byte-order mark)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse


def csv_text(rows: Sequence[Sequence[str]], delimiter: str = ",") -> str:
    """`rows` as CSV text, with the CRLF line ends spreadsheets write."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
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
