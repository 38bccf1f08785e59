"""Local transcription: a recording in, a TranscriptDocument out, on this machine.

`transcribe()` is the one entry point (the command line's `heard transcribe` and the
background task both call it); `probe()` says what a file holds, refusing what cannot be
transcribed; `catalogue` names, finds and fetches the speech models.
"""

from heard.interviews.transcripts.engine.errors import (
    ModelError,
    TranscriptionCancelled,
    TranscriptionError,
)
from heard.interviews.transcripts.engine.probe import MediaInfo, probe
from heard.interviews.transcripts.engine.transcribe import transcribe

__all__ = [
    "MediaInfo",
    "ModelError",
    "TranscriptionCancelled",
    "TranscriptionError",
    "probe",
    "transcribe",
]
