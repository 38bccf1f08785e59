"""Transcripts of an interview for the tests: imported from a fixture file, as people do."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from heard.accounts.models import User
from heard.interviews.models import Interview, Recording, Transcript
from heard.interviews.transcripts.imports import import_transcript

FIXTURES = Path(__file__).resolve().parent.parent / "transcripts" / "fixtures"


def upload_of(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    """A fixture file (tests/transcripts/fixtures/) as a browser uploads it."""
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes() if data is None else data)


def vtt_of(lines: Sequence[tuple[float, float, str, str]]) -> bytes:
    """A WebVTT file of (start s, end s, speaker, words) lines, each speaker as `<v Name>`."""

    def clock(seconds: float) -> str:
        return f"{int(seconds) // 3600:02}:{int(seconds) // 60 % 60:02}:{int(seconds) % 60:02}.000"

    cues = ["WEBVTT", ""]
    for start, end, who, words in lines:
        cues += [f"{clock(start)} --> {clock(end)}", f"<v {who}>{words}</v>", ""]
    return "\n".join(cues).encode()


def imported_transcript(
    interview: Interview,
    user: User,
    recording: Recording | None = None,
    name: str = "zoom.vtt",
) -> Transcript:
    return import_transcript(interview, user, upload_of(name), recording)
