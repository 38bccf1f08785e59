"""A recording on its way in: a private file in the upload folder that grows a piece at a time.

The browser sends the file in pieces, each with the offset it starts at. A piece is appended
to the part file at that offset, read from the request a block at a time (never whole); a
piece sent again (the answer was lost) adds only what is new, and a piece that would leave a
gap is refused with the offset the server has, from which the browser resumes. How much has
arrived is the part file's size: there is nothing else to keep in step. One piece at a time
is written: each holds an exclusive lock on the part file.

The part file lives on the machine that receives the pieces (the upload folder of its data
folder); once whole it is probed and moved into Django's storage. Several web machines
behind a load balancer send one upload to one machine (sticky sessions), or share the upload
folder.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from heard.core.private import FILE_MODE
from heard.core.storage import scratch_folder

BLOCK_BYTES = 256 * 1024
# An upload nobody finished is thrown away after this long (its part file is personal data).
ABANDONED_AFTER = timedelta(days=1)


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class Gap(Exception):
    """A piece that starts past what has arrived; `offset` is where the next must start."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"The server has {offset} bytes; send the file from there.")
        self.offset = offset


class TooLong(Exception):
    """More bytes than the upload said the file holds."""


def part_path(key: str) -> Path:
    return scratch_folder() / f"recording-{key}.part"


def received(key: str) -> int:
    """How many bytes of the upload have arrived."""
    try:
        return part_path(key).stat().st_size
    except FileNotFoundError:
        return 0


@dataclass
class Part:
    """The part file of one upload, locked for as long as the `open_part` block runs."""

    path: Path
    fd: int

    @property
    def size(self) -> int:
        return os.fstat(self.fd).st_size

    def append(self, offset: int, body: Readable, limit: int) -> int:
        """Write the piece `body` that starts at `offset`; the size after it. Bytes already
        here are skipped, not written again. Gap if `offset` is past the end; TooLong (and
        nothing written) if the file would pass `limit` bytes."""
        have = self.size
        if offset > have:
            raise Gap(have)
        skip = have - offset
        os.lseek(self.fd, have, os.SEEK_SET)
        written = 0
        while block := body.read(BLOCK_BYTES):
            if skip >= len(block):
                skip -= len(block)
                continue
            block, skip = block[skip:], 0
            if have + written + len(block) > limit:
                os.ftruncate(self.fd, have)
                raise TooLong
            os.write(self.fd, block)
            written += len(block)
        return have + written

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


@contextmanager
def open_part(key: str) -> Iterator[Part]:
    """The upload's part file (created empty the first time), locked against other writers."""
    path = part_path(key)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield Part(path, fd)
    finally:
        os.close(fd)


def discard(key: str) -> None:
    """Delete an upload's part file, if any."""
    part_path(key).unlink(missing_ok=True)


def idle_since(key: str) -> float | None:
    """When a piece last arrived (seconds since the epoch); None with no part file."""
    try:
        return part_path(key).stat().st_mtime
    except FileNotFoundError:
        return None
