"""Heard's own JSON, which the command line writes and reads back whole:

    {"format": "heard-transcript", "version": 1, "language": "en",
     "segments": [{"start": 0.0, "end": 2.5, "speaker": "Ana", "text": "…",
                   "words": [{"start": 0.0, "end": 0.4, "text": "Hello", "probability": 0.98}]}]}

Times are seconds, as numbers; `start`, `end`, `speaker` and `words` may be left out. A JSON
of segments from another tool in the same shape (Whisper's own output) reads too.
"""

from __future__ import annotations

import json
import math
from typing import Any

from heard.interviews.transcripts.document import TranscriptDocument, Word
from heard.interviews.transcripts.formats.base import (
    Content,
    Reading,
    TranscriptFormat,
    TranscriptFormatError,
)

FORMAT = "heard-transcript"
VERSION = 1


def number(value: Any) -> float | None:
    """A JSON number as seconds; None for anything else (true and false are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


class HeardJSON(TranscriptFormat):
    name = "json"
    label = "Heard JSON"
    extensions = (".json",)

    def sniff(self, content: Content) -> float:
        data = content.json
        if not isinstance(data, dict):
            return 0.0
        if data.get("format") == FORMAT:
            return 1.0
        return 0.5 if isinstance(data.get("segments"), list) else 0.0

    def read(self, content: Content) -> TranscriptDocument:
        data = content.json
        if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
            raise TranscriptFormatError(
                'This is not a transcript in Heard\'s JSON: it needs a "segments" list.'
            )
        version = data.get("version", VERSION)
        if data.get("format") == FORMAT and version != VERSION:
            raise TranscriptFormatError(
                f"This transcript is in version {version} of Heard's JSON; this Heard reads "
                f"version {VERSION}."
            )
        reading = Reading(self)
        language = data.get("language")
        reading.document.language = language if isinstance(language, str) else ""
        for index, item in enumerate(data["segments"], 1):
            where = f"Segment {index}"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                reading.warn(f'{where} is not an object with a "text": skipped.')
                continue
            times = [item.get("start"), item.get("end")]
            start, end = (number(value) for value in times)
            if any(value is not None and number(value) is None for value in times):
                reading.warn(f"{where}: its start or end is not a number of seconds: skipped.")
                continue
            speaker = item.get("speaker")
            words = self._words(item.get("words"), where, reading)
            reading.add(
                item["text"],
                start,
                end,
                speaker if isinstance(speaker, str) else "",
                words,
                where=where,
            )
        return reading.finish()

    def _words(self, items: Any, where: str, reading: Reading) -> list[Word]:
        if not isinstance(items, list):
            return []
        words = []
        for item in items:
            if not isinstance(item, dict):
                continue
            start, end = number(item.get("start")), number(item.get("end"))
            text = item.get("text", item.get("word"))
            if (
                start is None
                or end is None
                or start < 0
                or end < start
                or not isinstance(text, str)
            ):
                reading.warn(f"{where}: a word without a text or valid times is left out.")
                continue
            words.append(Word(start, end, text, number(item.get("probability"))))
        return words

    def write(self, document: TranscriptDocument) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "language": document.language,
            "segments": [
                {
                    "start": segment.start,
                    "end": segment.end,
                    "speaker": segment.speaker,
                    "text": segment.text,
                    "words": [
                        {
                            "start": word.start,
                            "end": word.end,
                            "text": word.text,
                            "probability": word.probability,
                        }
                        for word in segment.words
                    ],
                }
                for segment in document.segments
            ],
        }
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()
