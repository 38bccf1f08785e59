"""Reading back what a spreadsheet download sent: a CSV file (UTF-8 with a byte-order mark)."""

from __future__ import annotations

import csv
import io

from django.http import StreamingHttpResponse


def csv_download(response) -> tuple[bytes, list[list[str]]]:  # type: ignore[no-untyped-def]
    """The bytes of a streamed CSV download, and its rows as a spreadsheet would read them."""
    assert isinstance(response, StreamingHttpResponse)
    data = b"".join(response.streaming_content)
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
