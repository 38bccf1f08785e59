"""Who speaks when in a one-channel mix: an optional extra, never required.

A recording whose channels carry a speaker each needs none of this (`transcribe.py` gives one
speaker per channel). For a mono mix, a diarizer run on this machine says when each voice
speaks, and the transcript's lines take the speaker they overlap most ("Speaker 1",
"Speaker 2", … in the order they first speak), to be mapped to people as any label is.

It is used only when HEARD_DIARIZATION_MODEL names a local pipeline (a pyannote.audio
pipeline folder or its config.yaml, fetched once by whoever sets it up) and the package is
installed (`pip install "heard[diarization]"`). Anything that goes wrong leaves the transcript
as it is, with a warning that says why.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings


class DiarizationUnavailable(Exception):
    """A diarizer is configured but cannot run here, with the reason to show."""


@dataclass(frozen=True)
class Turn:
    start: float
    end: float
    voice: str
    """The diarizer's own name for the voice ("SPEAKER_00")."""


class Diarizer(ABC):
    name = ""

    @abstractmethod
    def turns(self, path: Path) -> list[Turn]:
        """When each voice speaks in the recording at `path`, in seconds."""


class PyannoteDiarizer(Diarizer):
    name = "pyannote.audio"

    def __init__(self, model: str) -> None:
        try:
            from pyannote.audio import Pipeline
        except ImportError as missing:
            raise DiarizationUnavailable(
                'pyannote.audio is not installed (pip install "heard[diarization]")'
            ) from missing
        quiet_pyannote()
        location = Path(model).expanduser()
        if not location.exists():
            raise DiarizationUnavailable(f"no diarization pipeline at {location}")
        try:
            self.pipeline: Any = Pipeline.from_pretrained(location)
        except Exception as error:
            raise DiarizationUnavailable(
                f"the diarization pipeline did not load: {error}"
            ) from error

    def turns(self, path: Path) -> list[Turn]:
        found = self.pipeline(str(path))
        annotation = getattr(found, "speaker_diarization", found)  # pyannote 4 wraps it
        return [
            Turn(float(span.start), float(span.end), str(voice))
            for span, _, voice in annotation.itertracks(yield_label=True)
        ]


def quiet_pyannote() -> None:
    """Turn off what pyannote.audio 4 reports to its authors' server by default: each model
    and pipeline it loads, and each file it runs on (with the file's length). It looks at the
    switch before each report, so this holds for everything loaded after; pyannote.audio 3
    reports nothing and has no switch."""
    try:
        from pyannote.audio.telemetry.metrics import set_telemetry_metrics
    except ImportError:
        return
    set_telemetry_metrics(False)


def configured() -> Diarizer | None:
    """The diarizer the settings name, or None; DiarizationUnavailable if it cannot run."""
    model = settings.HEARD_DIARIZATION_MODEL
    return PyannoteDiarizer(model) if model else None


def voice_of(start: float | None, end: float | None, turns: Sequence[Turn]) -> str | None:
    """The voice that speaks most between `start` and `end` (None: no time, or no voice)."""
    if start is None:
        return None
    end = start if end is None or end < start else end
    overlap: dict[str, float] = {}
    for turn in turns:
        shared = min(end, turn.end) - max(start, turn.start)
        if shared > 0 or (shared == 0 and turn.start <= start <= turn.end):
            overlap[turn.voice] = overlap.get(turn.voice, 0.0) + max(shared, 0.0)
    return max(overlap, key=lambda voice: overlap[voice]) if overlap else None


def labels_for(
    spans: Sequence[tuple[float | None, float | None]], turns: Sequence[Turn]
) -> list[str]:
    """A speaker label for each span, "" where no voice speaks: "Speaker 1", "Speaker 2", …
    numbered in the order the voices first speak in the spans."""
    numbers: dict[str, int] = {}
    labels = []
    for start, end in spans:
        voice = voice_of(start, end, turns)
        if voice is None:
            labels.append("")
            continue
        number = numbers.setdefault(voice, len(numbers) + 1)
        labels.append(f"Speaker {number}")
    return labels
