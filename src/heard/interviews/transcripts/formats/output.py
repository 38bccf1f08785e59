"""Where a command line's transcript goes: the format its `-o` file names, written whole or
not at all, or the terminal. `heard convert` and `heard transcribe` share it."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from heard.interviews.transcripts.formats.base import TranscriptFormatError


def format_for(chosen: str | None, output: Path | None, writers: dict, default: str) -> str:
    """The format asked for, else the one `output`'s extension names, else `default`; a
    Word file needs a file to go to."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    fmt = chosen or (suffix if suffix in writers else default)
    if fmt == "docx" and output is None:
        raise TranscriptFormatError(
            "A Word file cannot go to the terminal: name one with -o OUT.docx."
        )
    return fmt


def deliver(data: bytes, output: Path | None) -> None:
    """`data` onto standard output, or into `output`, whole or not at all: a half-written
    transcript is never left behind."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    handle, temporary = tempfile.mkstemp(dir=output.parent or ".", prefix=f".{output.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
