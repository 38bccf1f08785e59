"""Transcribe a recording: probe it, choose its speakers, feed the engine window by window.

Segments are handed to `on_segment` as they are made, in time order, so whoever keeps them
can show the first minutes while the rest runs. A recording whose channels each carry a
speaker of their own (a two-track call) is transcribed channel by channel, each segment
marked with its channel's speaker, and the channels merged by time within each window.
The file is decoded once: the first window (five minutes, or all of a file a little longer)
decides whether its channels are speakers of their own or one mix, and every window after
is read the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from heard.interviews.transcripts.document import Segment, TranscriptDocument, Word
from heard.interviews.transcripts.engine.audio import Window, mixed, speaking_channels, windows
from heard.interviews.transcripts.engine.base import Engine
from heard.interviews.transcripts.engine.errors import TranscriptionCancelled, TranscriptionError
from heard.interviews.transcripts.engine.probe import MediaInfo, Source, describe, probe
from heard.interviews.transcripts.engine.whisper import FasterWhisperEngine, WhisperSetup

PROMPT_CHARS = 200  # the end of the previous window's text, given to the next as context

Cancel = threading.Event | Callable[[], bool] | None


@dataclass(frozen=True)
class Track:
    """Which sound makes a speaker: a channel of the file (None: all channels mixed)."""

    channel: int | None
    speaker: str


def transcribe(
    source: Source,
    *,
    model: str | None = None,
    language: str | None = None,
    speakers: Sequence[str] = (),
    on_segment: Callable[[Segment], None] | None = None,
    on_progress: Callable[[float, float], None] | None = None,
    cancel: Cancel = None,
    engine: Engine | None = None,
) -> TranscriptDocument:
    """Transcribe a recording (a path or a seekable binary file) into a TranscriptDocument.

    `model` overrides HEARD_WHISPER_MODEL, `language` ("en") skips detection, `speakers`
    names the channels in order when they carry a speaker each ("Channel 1", … otherwise).
    `on_progress(done_s, total_s)` follows the sound; `cancel` (an Event, or a function that
    answers True) stops it between segments with TranscriptionCancelled, which holds what
    was done. Raises TranscriptionError (ModelError for the model) with a one-line reason.
    """
    info = probe(source)
    engine = engine or FasterWhisperEngine(WhisperSetup.from_settings(model=model))
    document = TranscriptDocument(language=language or "", source_format=engine.name)
    job = _Job(engine, info, speakers, document, on_segment, on_progress, _cancelled(cancel))
    job.run(source, language)
    return document


def choose_tracks(samples: np.ndarray, names: Sequence[str] = ()) -> list[Track]:
    """One track per channel of `samples` (a window, one row per channel) that carries a
    speaker of its own, or one mixed track."""
    channels = speaking_channels(samples)
    if not channels:
        return [Track(None, "")]
    labelled = list(names)
    return [
        Track(channel, labelled[channel] if channel < len(labelled) else f"Channel {channel + 1}")
        for channel in channels
    ]


def _cancelled(cancel: Cancel) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


class _Job:
    def __init__(
        self,
        engine: Engine,
        info: MediaInfo,
        speakers: Sequence[str],
        document: TranscriptDocument,
        on_segment: Callable[[Segment], None] | None,
        on_progress: Callable[[float, float], None] | None,
        cancelled: Callable[[], bool],
    ) -> None:
        self.engine = engine
        self.info = info
        self.speakers = speakers
        self.tracks: list[Track] = []  # chosen on the first window
        self.document = document
        self.on_segment = on_segment
        self.on_progress = on_progress
        self.cancelled = cancelled
        self.languages: dict[int, str] = {}  # per track, once the first window told
        self.prompts: dict[int, str] = {}

    def run(self, source: Source, language: str | None) -> None:
        self._check_cancel()
        done = 0.0
        for decoded in windows(source, self.info, mono=self.info.channels < 2):
            if not self.tracks:
                self.tracks = choose_tracks(decoded.samples, self.speakers)
            mono = self.tracks[0].channel is None
            window = mixed(decoded, self.info.layout) if mono else decoded
            if mono:
                for segment in self._track(window, 0, language):
                    self._emit(segment)
            else:
                merged: list[Segment] = []
                for index in range(len(self.tracks)):
                    merged.extend(self._track(window, index, language))
                merged.sort(key=lambda segment: (segment.start or 0.0, segment.end or 0.0))
                for segment in merged:
                    self._emit(segment)
            done = window.end
            self._progress(done)
        if not done:
            raise TranscriptionError(f"{describe(source)}: no sound could be decoded.")
        if not self.document.segments:
            self.document.warnings.append("No speech was heard in the recording.")
        self._progress(max(done, self.info.duration))

    def _track(self, window: Window, index: int, language: str | None) -> Iterator[Segment]:
        track = self.tracks[index]
        row = 0 if track.channel is None else track.channel
        stretch = self.engine.transcribe(
            window.samples[row],
            language=language or self.languages.get(index),
            prompt=self.prompts.get(index, ""),
        )
        self.languages.setdefault(index, stretch.language)
        if not self.document.language:
            self.document.language = stretch.language
        share = 1 / len(self.tracks)
        said = []
        for segment in stretch.segments:
            self._check_cancel()
            placed = _placed(segment, window.start, track.speaker)
            said.append(placed.text)
            part = (index + min(segment.end or 0.0, window.duration) / window.duration) * share
            self._progress(window.start + part * window.duration)
            yield placed
        self.prompts[index] = " ".join(said)[-PROMPT_CHARS:]

    def _emit(self, segment: Segment) -> None:
        self.document.segments.append(segment)
        if self.on_segment:
            self.on_segment(segment)

    def _progress(self, done: float) -> None:
        if self.on_progress:
            total = max(self.info.duration, done)
            self.on_progress(min(done, total), total)

    def _check_cancel(self) -> None:
        if self.cancelled():
            raise TranscriptionCancelled(self.document)


def _placed(segment: Segment, offset: float, speaker: str) -> Segment:
    """The segment timed from the recording's start, said by `speaker`."""
    return Segment(
        text=segment.text,
        start=round((segment.start or 0.0) + offset, 3),
        end=round((segment.end or 0.0) + offset, 3),
        speaker=speaker,
        words=[
            Word(
                start=round(word.start + offset, 3),
                end=round(word.end + offset, 3),
                text=word.text,
                probability=word.probability,
            )
            for word in segment.words
        ],
    )
