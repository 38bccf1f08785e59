"""A stored file served to the browser, whole or by byte range (RFC 9110), a block at a time.

An audio player asks for ranges (`Range: bytes=1000-`) to seek; it gets 206 with the part
and `Content-Range`, a range past the end gets 416, and a request without one gets the whole
file (200). Only a single range is served; a request for several gets the whole file, as the
standard allows. The file is read from Django's storage as it is sent (under ASGI too, by
`core.streaming.FileDownload`), never whole in memory.
"""

from __future__ import annotations

import re
from typing import IO

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from heard.core.storage import open_range, signed_url
from heard.core.streaming import FileDownload

BLOCK_BYTES = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    """A range that lies outside the file."""


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte the `Range` header asks of a file of `size` bytes; None for the
    whole file (no header, one Heard does not serve, or several ranges)."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise Unsatisfiable
    return start, end


class _Slice:
    """`length` bytes of an open file from where it stands, read a block at a time (no `tell`
    or `name`, so that FileResponse sets no length of its own)."""

    def __init__(self, handle: IO[bytes], length: int) -> None:
        self.handle = handle
        self.left = length

    def read(self, size: int = BLOCK_BYTES) -> bytes:
        if self.left <= 0:
            return b""
        block = self.handle.read(min(size if size > 0 else BLOCK_BYTES, self.left))
        self.left -= len(block)
        return block

    def close(self) -> None:
        self.handle.close()


def serve(
    request: HttpRequest, name: str, *, content_type: str, disposition: str = ""
) -> HttpResponse | FileDownload:
    """The stored file `name`, whole or the range the request asks for."""
    size = default_storage.size(name)
    try:
        wanted = byte_range(request.headers.get("Range", ""), size)
    except Unsatisfiable:
        refusal = HttpResponse(status=416)
        refusal["Content-Range"] = f"bytes */{size}"
        refusal["Accept-Ranges"] = "bytes"
        return refusal
    start, end = wanted if wanted is not None else (0, size - 1)
    handle = open_range(name, start, end)
    response = FileDownload(
        _Slice(handle, end - start + 1),
        content_type=content_type,
        status=206 if wanted is not None else 200,
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if wanted is not None:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if disposition:
        response["Content-Disposition"] = disposition
    # Private: a shared cache must not keep what an access check let through.
    response["Cache-Control"] = "private, no-store"
    return response


def served(
    request: HttpRequest, name: str, content_type: str, disposition: str
) -> HttpResponse | FileDownload:
    """The stored file `name`, after the view's access check: streamed (`serve`), or, where
    the object store signs addresses (`HEARD_STORAGE_REDIRECT_SECONDS`), a redirect to one."""
    signed = signed_url(name, disposition=disposition, content_type=content_type)
    if signed:
        return HttpResponseRedirect(signed)
    return serve(request, name, content_type=content_type, disposition=disposition)
