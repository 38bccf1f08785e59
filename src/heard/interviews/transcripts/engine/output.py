"""A transcript as the bytes of a file: Heard's JSON for now.

The one place `heard transcribe` turns a document into a file, so that it can hand over to
the transcript formats (VTT, SRT, TXT, DOCX) in one line once they exist.
"""

from __future__ import annotations

import json

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.engine.errors import TranscriptionError

FORMATS = ("vtt", "srt", "txt", "json", "docx")
WRITABLE = ("json",)


def render(document: TranscriptDocument, fmt: str) -> bytes:
    """The document written as `fmt`."""
    if fmt != "json":
        raise TranscriptionError(
            f"Writing {fmt} is not available yet in this version of Heard: use --to json."
        )
    data = {
        "language": document.language,
        "segments": [
            {
                "start": segment.start,
                "end": segment.end,
                "speaker": segment.speaker,
                "text": segment.text,
                "words": [
                    {"start": w.start, "end": w.end, "text": w.text, "probability": w.probability}
                    for w in segment.words
                ],
            }
            for segment in document.segments
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
