"""Transcript files of other tools, and Heard's own: one module per format, each a
`TranscriptFormat` (`base.py`), and here the registry and the three things callers need:

    read(data, filename="") -> TranscriptDocument   any format Heard reads, told by content
    write(document, "vtt") -> bytes                 vtt, srt, txt, json or docx
    read_path(path) -> TranscriptDocument           a file, read no further than the limit

Every failure is a `TranscriptFormatError` whose message a person can act on; what a reader
skipped or mended is in the document's `warnings`.
"""

from __future__ import annotations

from pathlib import Path

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats.base import (
    MAX_BYTES,
    MAX_SEGMENTS,
    Content,
    TranscriptFormat,
    TranscriptFormatError,
)
from heard.interviews.transcripts.formats.docx import Docx
from heard.interviews.transcripts.formats.heard_json import HeardJSON
from heard.interviews.transcripts.formats.otter_text import OtterText
from heard.interviews.transcripts.formats.rev_json import RevJSON
from heard.interviews.transcripts.formats.sbv import SBV
from heard.interviews.transcripts.formats.speaker_text import SpeakerText
from heard.interviews.transcripts.formats.srt import SubRip
from heard.interviews.transcripts.formats.webvtt import WebVTT
from heard.interviews.transcripts.formats.zoom_text import ZoomText

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_SEGMENTS",
    "WRITERS",
    "TranscriptFormat",
    "TranscriptFormatError",
    "detect",
    "read",
    "read_path",
    "write",
]

# In the order that breaks a tie the file's extension leaves.
FORMATS: dict[str, TranscriptFormat] = {
    fmt.name: fmt
    for fmt in (
        WebVTT(),
        SubRip(),
        SBV(),
        HeardJSON(),
        RevJSON(),
        Docx(),
        ZoomText(),
        OtterText(),
        SpeakerText(),
    )
}
# The formats Heard writes, by the name `--to` takes.
WRITERS: dict[str, TranscriptFormat] = {name: f for name, f in FORMATS.items() if f.writes}


def described() -> str:
    """The formats Heard reads, for a message: "WebVTT (.vtt), SubRip (.srt), …"."""
    return ", ".join(f"{fmt.label} ({', '.join(fmt.extensions)})" for fmt in FORMATS.values())


def detect(content: Content) -> TranscriptFormat:
    """The format a file's content is in: the surest of the formats' guesses; of equally sure
    ones, the one whose extension the file has, else the first."""
    suffix = Path(content.filename).suffix.lower()
    best: tuple[float, bool] = (0.0, False)
    found: TranscriptFormat | None = None
    for fmt in FORMATS.values():
        sure = fmt.sniff(content)
        if sure > 0 and (sure, suffix in fmt.extensions) > best:
            best, found = (sure, suffix in fmt.extensions), fmt
    if found is None:
        raise TranscriptFormatError(_unknown(content))
    return found


def _unknown(content: Content) -> str:
    if not content.data.strip():
        return "The file is empty: there is no transcript in it."
    kind = "not text" if content.text is None else "text in none of the formats Heard reads"
    return f"Heard cannot tell what this file is ({kind}). Heard reads: {described()}."


def read(data: bytes, filename: str = "") -> TranscriptDocument:
    """The transcript in `data`, whatever its format (`filename` only breaks ties)."""
    if len(data) > MAX_BYTES:
        raise TranscriptFormatError(
            f"The file is {len(data):,} bytes, more than the {MAX_BYTES:,} Heard reads as a "
            "transcript. Split it into parts and import each."
        )
    content = Content(data, filename)
    return detect(content).read(content)


def read_path(path: Path | str) -> TranscriptDocument:
    """The transcript in a file, read no further than one byte past the limit."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise TranscriptFormatError(f"Cannot read the file: {error.strerror or error}.") from None
    return read(data, path.name)


def write(document: TranscriptDocument, fmt: str) -> bytes:
    """The transcript written in the format named (`WRITERS`' keys)."""
    writer = WRITERS.get(fmt.lower().lstrip("."))
    if writer is None:
        raise TranscriptFormatError(f"Heard cannot write {fmt!r}: it writes {', '.join(WRITERS)}.")
    return writer.write(document)
