"""The shape of a speech engine: sound in, timed text out.

An engine turns a stretch of mono 16 kHz sound into segments, handing each over as soon as
it is ready; `transcribe.py` feeds it a recording window by window and channel by channel.
faster-whisper (`whisper.py`) is the one engine today. A diarizer, which says who speaks when
in a one-channel mix, is a different part with a base class of its own (`diarize.py`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from heard.interviews.transcripts.document import Segment


@dataclass
class Stretch:
    """What an engine made of one stretch of sound: the language it heard (or was told) and
    its segments, timed from the stretch's start, produced lazily."""

    language: str
    segments: Iterator[Segment]


class Engine(ABC):
    """One way of turning speech into text."""

    name: ClassVar[str]
    sample_rate: ClassVar[int] = 16_000

    @abstractmethod
    def transcribe(self, samples: np.ndarray, *, language: str | None, prompt: str) -> Stretch:
        """Transcribe mono float32 `samples`; `language` None means detect it; `prompt` is
        the text just before this stretch, which helps the engine continue a sentence."""

    @property
    @abstractmethod
    def description(self) -> str:
        """The engine, model and device in a few words, for messages."""
