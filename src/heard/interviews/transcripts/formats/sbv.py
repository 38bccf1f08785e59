"""YouTube's SBV (.sbv): `0:00:01.000,0:00:04.000` and the caption's lines below it."""

from __future__ import annotations

import re

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats.base import Content, Reading, TranscriptFormat
from heard.interviews.transcripts.formats.captions import add_cues
from heard.interviews.transcripts.formats.cues import split_cues
from heard.interviews.transcripts.formats.srt import clean

_SBV_TIME = r"\d{1,3}:\d{1,2}:\d{1,2}(?:\.\d{1,3})?"
TIMING = re.compile(rf"(?P<start>{_SBV_TIME})\s*,\s*(?P<end>{_SBV_TIME})")


class SBV(TranscriptFormat):
    name = "sbv"
    label = "YouTube SBV"
    extensions = (".sbv",)

    def sniff(self, content: Content) -> float:
        text = content.text
        if text is None:
            return 0.0
        return (
            0.9 if any(TIMING.fullmatch(line.strip()) for line in text[:5000].split("\n")) else 0.0
        )

    def read(self, content: Content) -> TranscriptDocument:
        reading = Reading(self)
        lines = list(enumerate(self.text_of(content).split("\n"), 1))
        cues, strays = split_cues(lines, TIMING, identified=False)
        for stray in strays:
            reading.warn(f"Line {stray.line} is not part of any caption: skipped ({stray.text!r}).")
        add_cues(reading, cues, clean)
        return reading.finish()
