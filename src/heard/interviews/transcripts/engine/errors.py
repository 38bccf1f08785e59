"""What can go wrong when a recording is transcribed, in words a person can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heard.interviews.transcripts.document import TranscriptDocument


class TranscriptionError(Exception):
    """The recording cannot be transcribed: its message says why, in one line."""


class ModelError(TranscriptionError):
    """The speech model cannot be found, fetched or loaded: the setup's fault, not the file's."""


class TranscriptionCancelled(Exception):
    """Transcription stopped because it was asked to; `document` holds what was done."""

    def __init__(self, document: TranscriptDocument) -> None:
        super().__init__("Transcription was cancelled.")
        self.document = document
