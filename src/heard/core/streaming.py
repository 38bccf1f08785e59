"""Downloads that stream under ASGI: rows fetched a batch at a time, never all in memory.

Django's ASGI handler serves a `StreamingHttpResponse` (or a `FileResponse`) built on a plain,
synchronous iterator by first reading the whole iterator into a list, in a thread (it warns
that it "must consume synchronous iterators"). These responses keep their synchronous
iterator, for WSGI and the test client, and serve it to ASGI themselves: each batch, about
64 KB of output, is taken from the iterator by `sync_to_async` in the request's own thread,
where the view opened its database connection and where a query's cursor
(`.iterator(chunk_size=…)`, a server-side cursor on PostgreSQL) lives on between batches.
The ASGI server sends a batch before the next is read, and waits while the client is slow.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import cast

from asgiref.sync import sync_to_async
from django.http import FileResponse, StreamingHttpResponse

BATCH_BYTES = 64 * 1024


def _next_batch(parts: Iterator[bytes]) -> bytes:
    """The next parts, joined, up to about BATCH_BYTES; b"" at the end."""
    batch: list[bytes] = []
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= BATCH_BYTES:
            break
    return b"".join(batch)


async def _in_batches(parts: Iterator[bytes]) -> AsyncIterator[bytes]:
    take = sync_to_async(_next_batch, thread_sensitive=True)
    while batch := await take(parts):
        yield batch


class StreamedDownload(StreamingHttpResponse):
    """A `StreamingHttpResponse` of a synchronous iterator (CSV lines) that streams under
    ASGI too."""

    def __aiter__(self) -> AsyncIterator[bytes]:
        return _in_batches(iter(cast(Iterator[bytes], self.streaming_content)))


class FileDownload(FileResponse):
    """A `FileResponse` that streams under ASGI too."""

    def __aiter__(self) -> AsyncIterator[bytes]:
        return _in_batches(iter(cast(Iterator[bytes], self.streaming_content)))
