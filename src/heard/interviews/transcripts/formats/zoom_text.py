"""The transcript a Zoom meeting saves as text (`meeting_saved_closed_caption.txt`): a
`[Name] 10:02:15` line above what they said, or, from older versions and the chat, lines of
`10:02:15 Name: text` (`10:02:15 From Name to Everyone: text`).

Zoom writes the time of day, not the time into the recording: the first line counts as 0:00
and the others from it (a warning says so), so the times line up once the offset between
the call's clock and the recording is set.
"""

from __future__ import annotations

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats.base import Content, Reading, TranscriptFormat, clock
from heard.interviews.transcripts.formats.turns import read_turns, score

DAY = 24 * 3600


class ZoomText(TranscriptFormat):
    name = "zoom-txt"
    label = "Zoom text"
    extensions = (".txt",)

    def sniff(self, content: Content) -> float:
        found, total = score(content.text, ["zoom", "clock"])
        return 0.85 if found >= 2 and found * 4 >= total else 0.0

    def read(self, content: Content) -> TranscriptDocument:
        reading = Reading(self)
        read_turns(reading, enumerate(self.text_of(content).split("\n"), 1))
        starts = [s.start for s in reading.document.segments if s.start is not None]
        if starts:
            first = starts[0]
            for segment in reading.document.segments:
                if segment.start is not None:
                    since = segment.start - first
                    segment.start = since + DAY if since < -DAY / 2 else max(since, 0.0)
            reading.warn(
                f"Zoom writes the time of day: {clock(first, fraction=False)}, the time of "
                "the first line, is taken as 0:00 and the other times are counted from it."
            )
        return reading.finish()
