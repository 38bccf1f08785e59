"""Reading a `.qdpx` file someone uploads, which may be anything: a ZIP of a project, or not a
ZIP at all, a ZIP bomb, members named to point elsewhere (`../../etc/passwd`, `/x`, `C:\\x`).

Nothing is unpacked to disk. The ZIP's directory is read first: more than `MAX_MEMBERS`
members, a member name that is a path trick, or members that say they unpack to more than
`MAX_UNPACKED` bytes are refused before any member is read. Members are then read only as
needed (`project.qde`, and the text sources it names), each in pieces of `PIECE` bytes,
counted as they come: a member that unpacks past its own limit, or past what the whole may
unpack to, stops there, whatever its header claimed. Each refusal says which limit it met.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import IO

from django.template.defaultfilters import filesizeformat

MEGABYTE = 1024 * 1024
# The largest file the upload takes (settings.HEARD_BODY_LIMITS's line for `exchange:import`
# is this and room for the form; a test keeps the two in step).
MAX_UPLOAD = 50 * MEGABYTE
MAX_MEMBERS = 10_000
MAX_UNPACKED = 200 * MEGABYTE  # everything read from one file, unpacked
MAX_PROJECT = 50 * MEGABYTE  # project.qde
MAX_SOURCE = 20 * MEGABYTE  # one source's plain text (a day of talk is about 1 MB)
PIECE = 64 * 1024

PROJECT = "project.qde"
SOURCE_FOLDERS = ("sources/",)  # compared in lower case: tools write Sources/ or sources/

# A member name that points outside the project, or is not a plain relative path.
TRICK = re.compile(r"(^|[/\\])\.\.([/\\]|$)|^[/\\]|^[A-Za-z]:|\\|\x00|[\x01-\x1f]")


class ArchiveError(Exception):
    """The file cannot be read as a project; the message says why, for the person."""


def _size(number: int) -> str:
    return str(filesizeformat(number)).replace("\xa0", " ")


class Archive:
    """An uploaded `.qdpx` file, its directory checked; `read` gives a member's bytes."""

    def __init__(self, upload: IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(upload)
            members = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            raise ArchiveError(
                "This file is not a REFI-QDA project: a .qdpx file is a ZIP archive, and this "
                "one is not (or it is damaged). Export the project again from your program."
            ) from None
        if len(members) > MAX_MEMBERS:
            raise ArchiveError(
                f"This project holds more than {MAX_MEMBERS:,} files; Heard reads projects of "
                "up to that many."
            )
        declared = 0
        self.members: dict[str, zipfile.ZipInfo] = {}
        for member in members:
            if TRICK.search(member.filename):
                raise ArchiveError(
                    "A file inside this project has a name that points outside it "
                    f"(“{_shown(member.filename)}”): the project was refused and nothing in it "
                    "was read."
                )
            declared += member.file_size
            self.members.setdefault(member.filename.casefold(), member)
        if declared > MAX_UNPACKED:
            raise ArchiveError(
                f"This project unpacks to {_size(declared)}, more than the {_size(MAX_UNPACKED)} "
                "Heard reads: it was refused before anything in it was read."
            )
        self.unpacked = 0

    def project(self) -> bytes:
        """`project.qde`, at the ZIP's top."""
        member = self.members.get(PROJECT)
        if member is None:
            raise ArchiveError(
                "This ZIP file holds no project.qde: it is not a REFI-QDA project (.qdpx)."
            )
        return self.read(member, MAX_PROJECT, "project.qde")

    def source(self, name: str) -> bytes | None:
        """A source's file, by the name its `internal://` path gives; None if missing."""
        if not name or TRICK.search(name) or "/" in name:
            return None
        for folder in SOURCE_FOLDERS:
            member = self.members.get(f"{folder}{name}".casefold())
            if member is not None:
                return self.read(member, MAX_SOURCE, f"The source “{_shown(name)}”")
        return None

    def read(self, member: zipfile.ZipInfo, most: int, what: str) -> bytes:
        """A member's bytes, read a piece at a time and counted as they come."""
        if member.flag_bits & 0x1:
            raise ArchiveError(f"{what} is encrypted: export the project without a password.")
        pieces: list[bytes] = []
        size = 0
        try:
            with self.zip.open(member) as stream:
                while piece := stream.read(PIECE):
                    size += len(piece)
                    self.unpacked += len(piece)
                    if size > most:
                        raise ArchiveError(
                            f"{what} unpacks to more than {_size(most)}, the most Heard "
                            "reads of it: the project was refused."
                        )
                    if self.unpacked > MAX_UNPACKED:
                        raise ArchiveError(
                            f"This project unpacks to more than {_size(MAX_UNPACKED)}, the most "
                            "Heard reads: it was refused."
                        )
                    pieces.append(piece)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            raise ArchiveError(
                f"{what} cannot be unpacked ({error}): the file is damaged, or packed "
                "in a way Heard does not read. Export the project again."
            ) from None
        return b"".join(pieces)


def _shown(name: str) -> str:
    """A member's name, safe to show: control characters out, cut short."""
    shown = "".join(char if char.isprintable() else "?" for char in name)
    return shown if len(shown) <= 80 else shown[:79] + "…"
