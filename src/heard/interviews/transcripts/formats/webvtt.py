"""WebVTT (.vtt): Zoom's and Teams' transcripts, YouTube's captions, most players' subtitles.

Read: the header (and its `Language:`), NOTE, STYLE and REGION blocks skipped, cue settings
and inline markup dropped, speakers from voice tags (`<v Name>`, Teams) or from `Name: text`
in most cues (Zoom), unpadded times (`0:0:0.0`) and times without hours, rolling captions
(YouTube's automatic ones) merged line by line. Written: one cue a segment, the speaker as a
voice tag.
"""

from __future__ import annotations

import html
import re

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats.base import (
    Content,
    Reading,
    TranscriptFormat,
    clock,
)
from heard.interviews.transcripts.formats.captions import (
    LOOSE_TIMING,
    TIMING,
    add_cues,
    caption_lines,
    timed_segments,
)
from heard.interviews.transcripts.formats.cues import split_cues

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_TAG = re.compile(r"<[^>\n]*>")
_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")


def clean(line: str) -> tuple[str, str]:
    """A cue line's text without its tags and entities, and the voice its tag names."""
    voice = _VOICE.search(line)
    text = html.unescape(_TAG.sub("", line))
    return " ".join(text.split()), html.unescape(voice[1]).strip() if voice else ""


class WebVTT(TranscriptFormat):
    name = "vtt"
    label = "WebVTT"
    extensions = (".vtt",)

    def sniff(self, content: Content) -> float:
        text = content.text
        if text is None:
            return 0.0
        if _HEADER.match(text):
            return 1.0
        lines = text[:20_000].split("\n")
        timings = [TIMING.fullmatch(line.strip()) for line in lines]
        found = [match for match in timings if match]
        if not found:
            return 0.0
        # Without the header: WebVTT if its times say so (milliseconds after a dot).
        return 0.6 if "," not in found[0]["start"] else 0.3

    def read(self, content: Content) -> TranscriptDocument:
        reading = Reading(self)
        lines = list(enumerate(self.text_of(content).split("\n"), 1))
        if lines and _HEADER.match(lines[0][1]):
            body_from = 1
            for index, (_number, line) in enumerate(lines[1:], 1):
                if not line.strip() or LOOSE_TIMING.fullmatch(line.strip()):
                    break
                key, _, value = line.partition(":")
                if key.strip().casefold() == "language" and value.strip():
                    reading.document.language = value.strip()
                body_from = index + 1
            lines = lines[body_from:]
        else:
            reading.warn("The file does not start with WEBVTT: read as WebVTT anyway.")
        cues, strays = split_cues(lines, LOOSE_TIMING, skipped_blocks=("NOTE", "STYLE", "REGION"))
        for stray in strays:
            reading.warn(f"Line {stray.line} is not part of any cue: skipped ({stray.text!r}).")
        add_cues(reading, cues, clean)
        return reading.finish()

    def write(self, document: TranscriptDocument) -> bytes:
        blocks = ["WEBVTT"]
        if document.language:
            blocks[0] += f"\nLanguage: {document.language}"
        for start, end, segment in timed_segments(document, self.label):
            lines = [html.escape(line, quote=False) for line in caption_lines(segment.text)]
            if segment.speaker:
                voice = html.escape(segment.speaker, quote=False)
                lines[0] = f"<v {voice}>{lines[0]}"
                lines[-1] += "</v>"
            blocks.append(f"{clock(start)} --> {clock(end)}\n" + "\n".join(lines))
        return ("\n\n".join(blocks) + "\n").encode()
