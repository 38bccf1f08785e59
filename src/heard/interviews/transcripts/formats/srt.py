"""SubRip (.srt): numbered cues, times with a comma (or, from some tools, a dot) before the
milliseconds. Read in UTF-8, UTF-16 or Windows-1252, with or without cue numbers and blank
lines; a speaker from `Name: text` when most cues have one. Written: the speaker as that
prefix."""

from __future__ import annotations

import re

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats.base import Content, Reading, TranscriptFormat, clock
from heard.interviews.transcripts.formats.captions import (
    LOOSE_TIMING,
    TIMING,
    add_cues,
    caption_lines,
    timed_segments,
)
from heard.interviews.transcripts.formats.cues import split_cues

# The markup SubRip players know: <i>, <b>, <u>, <font …>, and {\an8}-style positions.
_TAG = re.compile(r"</?(?:i|b|u|s|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)


def clean(line: str) -> tuple[str, str]:
    return " ".join(_TAG.sub("", line).split()), ""


class SubRip(TranscriptFormat):
    name = "srt"
    label = "SubRip"
    extensions = (".srt",)

    def sniff(self, content: Content) -> float:
        text = content.text
        if text is None or text.startswith("WEBVTT"):
            return 0.0
        found = [m for line in text[:20_000].split("\n") if (m := TIMING.fullmatch(line.strip()))]
        if not found:
            return 0.0
        return 0.9 if "," in found[0]["start"] else 0.6

    def read(self, content: Content) -> TranscriptDocument:
        reading = Reading(self)
        lines = list(enumerate(self.text_of(content).split("\n"), 1))
        cues, strays = split_cues(lines, LOOSE_TIMING, numbered=True)
        index = 0
        for stray in strays:  # in the order of their lines, as the cues are
            # A blank line inside a cue's text: the lines after it are still the cue's.
            while index < len(cues) and cues[index].line < stray.line:
                index += 1
            if index:
                cues[index - 1].lines.append(stray.text)
            else:
                reading.warn(f"Line {stray.line} is not part of any cue: skipped ({stray.text!r}).")
        add_cues(reading, cues, clean)
        return reading.finish()

    def write(self, document: TranscriptDocument) -> bytes:
        blocks = []
        for number, (start, end, segment) in enumerate(timed_segments(document, self.label), 1):
            lines = caption_lines(segment.text)
            if segment.speaker:
                lines[0] = f"{segment.speaker}: {lines[0]}"
            timing = f"{clock(start, ',')} --> {clock(end, ',')}"
            blocks.append(f"{number}\n{timing}\n" + "\n".join(lines))
        return ("\n\n".join(blocks) + "\n").encode()
