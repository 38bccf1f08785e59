"""Otter's text export, a `Name  1:02:03` (or `Name  2:03`) line above each turn, and Rev's,
`Name (01:02):` with the text below or beside it."""

from __future__ import annotations

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats.base import Content, Reading, TranscriptFormat
from heard.interviews.transcripts.formats.turns import read_turns, score


class OtterText(TranscriptFormat):
    name = "otter-txt"
    label = "Otter or Rev text"
    extensions = (".txt",)

    def sniff(self, content: Content) -> float:
        found, total = score(content.text, ["header", "rev"])
        return 0.85 if found >= 2 and found * 5 >= total else 0.0

    def read(self, content: Content) -> TranscriptDocument:
        reading = Reading(self)
        read_turns(reading, enumerate(self.text_of(content).split("\n"), 1))
        return reading.finish()
