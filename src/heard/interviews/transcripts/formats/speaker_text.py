"""Text transcripts of turns, `Speaker: text` (.txt) or `**Speaker:** text` (Markdown), as
Google Meet, Otter and Tactiq export them; also Heard's own txt, `[00:01:02] Name: text`,
which is what this format writes."""

from __future__ import annotations

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats.base import Content, Reading, TranscriptFormat, clock
from heard.interviews.transcripts.formats.turns import read_turns, score


class SpeakerText(TranscriptFormat):
    name = "txt"
    label = "text or Markdown (Speaker: text)"
    extensions = (".txt", ".md", ".markdown")

    def sniff(self, content: Content) -> float:
        markdown, total = score(content.text, ["markdown"])
        if markdown >= 2:
            return 0.8
        bracketed, total = score(content.text, ["bracketed"])
        if bracketed >= 2 and bracketed * 2 >= total:
            return 0.8
        labelled, total = score(content.text, ["label", "bracketed"])
        if labelled and labelled * 3 >= total:
            return 0.5
        return 0.2 if labelled else 0.0

    def read(self, content: Content) -> TranscriptDocument:
        reading = Reading(self)
        read_turns(reading, enumerate(self.text_of(content).split("\n"), 1))
        return reading.finish()

    def write(self, document: TranscriptDocument) -> bytes:
        lines = []
        for segment in document.segments:
            head = f"[{clock(segment.start, fraction=False)}] " if segment.start is not None else ""
            speaker = f"{segment.speaker}: " if segment.speaker else ""
            lines.append(f"{head}{speaker}{segment.text.strip()}")
        return ("\n".join(lines) + "\n").encode()
