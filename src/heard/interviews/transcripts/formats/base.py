"""What every transcript format is: a name, how to tell its files by their content, and how to
read (and maybe write) a `TranscriptDocument`.

One module per format, each a subclass of `TranscriptFormat`; the registry in `__init__.py`
lists them. A reader gets the file as `Content` (its bytes, and its text when it is text) and
builds the document through a `Reading`, which keeps the limits and the warnings in one place.
"""

from __future__ import annotations

import json
import math
from functools import cached_property
from typing import Any, ClassVar

from heard.interviews.transcripts.document import Segment, TranscriptDocument, Word
from heard.interviews.transcripts.formats.text import decode

# A transcript of ten hours is a few megabytes in any of these formats, words and all.
MAX_BYTES = 50 * 1024 * 1024
MAX_SEGMENTS = 100_000
MAX_WARNINGS = 50


class TranscriptFormatError(ValueError):
    """The file cannot be read as a transcript, or the transcript cannot be written in the
    format asked for. The message says why, in words a person can act on."""


class Content:
    """A file handed to the formats: its bytes, its name, and its text when it is text."""

    def __init__(self, data: bytes, filename: str = "") -> None:
        self.data = data
        self.filename = filename

    @cached_property
    def text(self) -> str | None:
        """The file decoded (`text.decode`), or None when it is not text (a Word file)."""
        return decode(self.data)

    @cached_property
    def json(self) -> Any:
        """The file parsed as JSON, or None when it is not a JSON object or list."""
        text = self.text
        if text is None or not text.lstrip().startswith(("{", "[")):
            return None
        try:
            return json.loads(text)
        except (ValueError, RecursionError):  # a nesting deeper than Python's stack
            return None


class TranscriptFormat:
    """One format: its `name` (what `--to` and `source_format` say), a `label` for people,
    the file `extensions` it usually has (which only break ties between formats), `sniff`
    (how sure it is, from 0 to 1, that a file's content is of this format), `read`, and
    `write` for the formats Heard writes."""

    name: ClassVar[str]
    label: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    def sniff(self, content: Content) -> float:
        raise NotImplementedError

    def read(self, content: Content) -> TranscriptDocument:
        raise NotImplementedError

    def write(self, document: TranscriptDocument) -> bytes:
        raise TranscriptFormatError(f"Heard reads {self.label} files but does not write them.")

    @property
    def writes(self) -> bool:
        return type(self).write is not TranscriptFormat.write

    def text_of(self, content: Content) -> str:
        if content.text is None:
            raise TranscriptFormatError(f"This file is not text, so it is not a {self.label} file.")
        return content.text


class Reading:
    """A transcript being read: segments as they come, the warnings, the limits."""

    def __init__(self, fmt: TranscriptFormat, max_segments: int = MAX_SEGMENTS) -> None:
        self.fmt = fmt
        self.max_segments = max_segments
        self.document = TranscriptDocument(source_format=fmt.name)
        self._more_warnings = 0

    def warn(self, message: str) -> None:
        if len(self.document.warnings) < MAX_WARNINGS:
            self.document.warnings.append(message)
        else:
            self._more_warnings += 1

    def add(
        self,
        text: str,
        start: float | None = None,
        end: float | None = None,
        speaker: str = "",
        words: list[Word] | None = None,
        where: str = "",
    ) -> Segment | None:
        """Add a segment, or skip it with a warning that names `where` it was ("Cue 4 (line
        12)"). An end before the start is mended to the start, with a warning."""
        text = text.strip()
        if not text:
            self.warn(f"{where} has no text: skipped.")
            return None
        if not (_valid_time(start) and _valid_time(end)):
            self.warn(f"{where} has a time that is not a number of seconds from 0: skipped.")
            return None
        if start is not None and end is not None and end < start:
            self.warn(
                f"{where} ends before it starts ({clock(start)} to {clock(end)}): "
                "kept, ending where it starts."
            )
            end = start
        if len(self.document.segments) >= self.max_segments:
            raise TranscriptFormatError(
                f"This transcript has more than {self.max_segments:,} segments, more than "
                "Heard reads from one file. Split it into parts and import each."
            )
        segment = Segment(
            text=text, start=start, end=end, speaker=speaker.strip(), words=words or []
        )
        self.document.segments.append(segment)
        return segment

    def finish(self) -> TranscriptDocument:
        """The document read; an error when nothing in the file was a segment."""
        if self._more_warnings:
            self.document.warnings.append(f"… and {self._more_warnings:,} more like these.")
            self._more_warnings = 0
        if not self.document.segments:
            reasons = " ".join(self.document.warnings[:3])
            raise TranscriptFormatError(
                f"No speech found in this {self.fmt.label} file."
                + (f" {reasons}" if reasons else "")
            )
        fill_ends(self.document.segments)
        return self.document


def _valid_time(value: float | None) -> bool:
    return value is None or (math.isfinite(value) and value >= 0)


def fill_ends(segments: list[Segment]) -> None:
    """A segment that has a start but no end (a format that writes starts only) ends where
    the next timed segment starts; the last keeps no end."""
    next_start: float | None = None
    for segment in reversed(segments):
        if segment.start is not None and segment.end is None and next_start is not None:
            segment.end = max(next_start, segment.start)
        if segment.start is not None:
            next_start = segment.start


def clock(seconds: float, separator: str = ".", fraction: bool = True) -> str:
    """`HH:MM:SS.mmm` (or with another separator, or without the milliseconds)."""
    millis = round(seconds * 1000)
    if not fraction:
        millis = millis // 1000 * 1000
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{text}{separator}{millis:03d}" if fraction else text
