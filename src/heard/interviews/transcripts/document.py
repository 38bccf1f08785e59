"""A transcript as plain data: segments with their times, speaker and words.

Times are seconds from the start of the recording (floats); a format without times (a
Markdown transcript of a call) gives segments whose `start` and `end` are None. Every
importer returns a `TranscriptDocument`, every exporter takes one, and the transcription
engine builds one segment at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One word and its time, as a speech model or a timed format gives it."""

    start: float
    end: float
    text: str
    probability: float | None = None


@dataclass
class Segment:
    """A stretch of speech by one speaker: a cue of a caption file, a turn of a transcript."""

    text: str
    start: float | None = None
    end: float | None = None
    speaker: str = ""
    words: list[Word] = field(default_factory=list)

    @property
    def timed(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass
class TranscriptDocument:
    """A whole transcript: its segments in order, and what reading it had to say.

    `warnings` lists, in words a person can act on, what an importer skipped or mended
    ("Cue 14 ends before it starts: skipped"); `source_format` names the format it was read
    from (an importer's `name`), `language` the language as a code ("en") where known.
    """

    segments: list[Segment] = field(default_factory=list)
    language: str = ""
    source_format: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def speakers(self) -> list[str]:
        """The speakers' labels in the order they first speak (blank labels left out)."""
        seen: dict[str, None] = {}
        for segment in self.segments:
            if segment.speaker:
                seen.setdefault(segment.speaker, None)
        return list(seen)

    @property
    def duration(self) -> float | None:
        """Seconds to the end of the last timed segment, or None when nothing is timed."""
        ends = [segment.end for segment in self.segments if segment.end is not None]
        return max(ends) if ends else None
