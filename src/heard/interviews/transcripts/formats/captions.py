"""What the caption formats share: turning cues into segments (speakers from `Name: text`,
captions repeated line by line merged) and writing segments as cues."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable

from heard.interviews.transcripts.document import Segment, TranscriptDocument
from heard.interviews.transcripts.formats.base import Reading, TranscriptFormatError
from heard.interviews.transcripts.formats.cues import Cue
from heard.interviews.transcripts.formats.text import TIME, labelled, parse_time, split_label

# A timing line as WebVTT and SubRip write it, with cue settings after it or not.
TIMING = re.compile(rf"(?P<start>{TIME})\s*-->\s*(?P<end>{TIME})(?:[ \t]+.*)?")

# A timing line, its times checked later: a cue whose times are wrong is named in a warning.
LOOSE_TIMING = re.compile(r"(?P<start>[^\s>]+)\s*-->\s*(?P<end>[^\s<]+)(?:[ \t]+.*)?")


def add_cues(
    reading: Reading,
    cues: list[Cue],
    clean: Callable[[str], tuple[str, str]],
) -> None:
    """Add each cue as a segment. `clean` gives a line's text without markup, and the
    speaker its markup names (a WebVTT voice), if any."""
    timed: list[tuple[Cue, float, float, list[str], str]] = []
    for cue in cues:
        speaker = ""
        lines = []
        for raw in cue.lines:
            text, voice = clean(raw)
            speaker = speaker or voice
            if text:
                lines.append(text)
        start, end = parse_time(cue.start), parse_time(cue.end)
        if start is None or end is None:
            reading.warn(
                f"{cue.where}: {cue.timing!r} is not a valid time: skipped, with its text "
                f"{' '.join(lines)!r}."
            )
            continue
        timed.append((cue, start, end, lines, speaker))
    rolling = _rolling(lines for _cue, _start, _end, lines, _speaker in timed)
    prefixed = labelled([" ".join(lines) for *_, lines, speaker in timed if lines and not speaker])
    shown: list[str] = []
    previous: Segment | None = None
    for cue, start, end, lines, speaker in timed:
        if rolling:
            # Captions that roll up show each line twice: under the new one, then above it.
            new = lines[1:] if lines and shown and lines[0] == shown[-1] else lines
            shown = lines
            if lines and not new and previous is not None:
                previous.end = max(previous.end or end, end)
                continue
            lines = new
        text = " ".join(lines)
        if prefixed and not speaker and (split := split_label(text)):
            speaker, text = split
        previous = reading.add(text, start, end, speaker, where=cue.where) or previous
    _order(reading)


def _rolling(cue_lines: Iterable[list[str]]) -> bool:
    """Whether captions roll up (YouTube's automatic ones): in many cues the first line is
    the previous cue's last, and in some of them a new line follows it (a file where people
    say "Yes." twice in a row does not roll)."""
    repeats = rolled = transitions = 0
    last: str | None = None
    for lines in cue_lines:
        if not lines:
            continue
        if last is not None:
            transitions += 1
            repeats += lines[0] == last
            rolled += lines[0] == last and len(lines) > 1
        last = lines[-1]
    return rolled >= 1 and repeats >= 2 and repeats * 3 >= transitions


def _order(reading: Reading) -> None:
    """Cues that overlap stay in the order they start; cues out of order are put in order."""
    segments = reading.document.segments
    starts = [segment.start or 0.0 for segment in segments]
    if any(later < earlier for earlier, later in itertools.pairwise(starts)):
        segments.sort(key=lambda segment: segment.start or 0.0)
        reading.warn("Some cues were out of order: they are put in the order of their times.")


def timed_segments(document: TranscriptDocument, label: str) -> list[tuple[float, float, Segment]]:
    """Every segment with its times, or an error when a segment has none."""
    found = []
    for number, segment in enumerate(document.segments, 1):
        if segment.start is None:
            raise TranscriptFormatError(
                f"Segment {number} has no time, and a {label} file needs one for every "
                "segment. Write it as txt, json or docx instead."
            )
        end = segment.end if segment.end is not None else segment.start
        found.append((segment.start, max(end, segment.start), segment))
    return found


def caption_lines(text: str) -> list[str]:
    """A segment's text as the lines of a cue: no blank line, which would end the cue."""
    return [line.strip() for line in text.splitlines() if line.strip()]
