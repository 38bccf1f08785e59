"""A recording's sound, decoded a window at a time: never the whole file in memory.

Windows end at the quietest moment near their length, so a cut rarely falls inside a word.
`speaking_channels` tells from a window which channels carry a speaker of their own (a
two-track call), as opposed to copies or mixes of the same sound; `mixed` makes one channel
of a window's several when they are one mix, so a file is decoded only once.
"""

from __future__ import annotations

import gc
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from heard.core.terminal import clock
from heard.interviews.transcripts.engine.errors import TranscriptionError
from heard.interviews.transcripts.engine.probe import MediaInfo, Source, describe, open_media

SAMPLE_RATE = 16_000
WINDOW_S = 300.0  # five minutes: a few hundred MB of features at most, whatever the length
CUT_SEARCH_S = 20.0  # a window ends at the quietest tenth of a second of its last 20 s
FRAME = SAMPLE_RATE // 10

# Channels count as separate speakers when each is, for at least MIN_ALONE_S, this many dB
# louder than every other channel (a person on their own track, the others at most bleeding
# through, and speaking over each other at times), and no two of them are copies or mixes
# of one another (their samples correlate less than MAX_CORRELATION).
ALONE_DB = 6.0
MIN_ALONE_S = 0.3
MAX_CORRELATION = 0.5
SILENCE_DBFS = -50.0
ACTIVE_RANGE_DB = 30.0
DETECT_SLICE_S = 60.0


@dataclass(frozen=True)
class Window:
    """Decoded sound from `start` seconds: float32 samples at 16 kHz, one row per channel."""

    start: float
    samples: np.ndarray

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / SAMPLE_RATE

    @property
    def end(self) -> float:
        return self.start + self.duration


def windows(
    source: Source, info: MediaInfo, *, mono: bool, window_s: float = WINDOW_S
) -> Iterator[Window]:
    """The sound in windows of about `window_s` seconds: downmixed to one row when `mono`,
    else one row per channel."""
    size = int(window_s * SAMPLE_RATE)
    search = min(int(CUT_SEARCH_S * SAMPLE_RATE), size // 2)
    pieces: list[np.ndarray] = []
    buffered = 0
    offset = 0
    for block in _decoded(source, info, mono=mono):
        pieces.append(block)
        buffered += block.shape[1]
        while buffered >= size + search:  # a file a little longer than a window stays one
            joined = np.concatenate(pieces, axis=1)
            cut = quietest_point(joined, size - search, size)
            yield Window(offset / SAMPLE_RATE, joined[:, :cut])
            offset += cut
            pieces = [joined[:, cut:]]
            buffered = pieces[0].shape[1]
    if buffered:
        yield Window(offset / SAMPLE_RATE, np.concatenate(pieces, axis=1))


def quietest_point(samples: np.ndarray, low: int, high: int) -> int:
    """The middle of the quietest 0.1 s between samples `low` and `high` (all channels)."""
    frames = (high - low) // FRAME
    if frames < 1:
        return high
    stretch = samples[:, low : low + frames * FRAME].astype(np.float64)
    energy = (stretch**2).sum(axis=0).reshape(frames, FRAME).sum(axis=1)
    return low + int(np.argmin(energy)) * FRAME + FRAME // 2


def speaking_channels(samples: np.ndarray) -> list[int]:
    """The channels (from 0) of `samples` (one row per channel) that each carry a speaker of
    their own; an empty list when the sound is one mix, however many channels it has
    (identical, panned or silent ones).

    Each channel's level every 0.1 s, and how the channels' samples correlate, a minute at a
    time so that the float64 copies stay small."""
    channels = samples.shape[0]
    if channels < 2:
        return []
    levels = []  # per 0.1 s frame, each channel's level in dBFS
    gram = np.zeros((channels, channels))
    step = int(DETECT_SLICE_S * SAMPLE_RATE)
    for begin in range(0, samples.shape[1], step):
        piece = samples[:, begin : begin + step].astype(np.float64)
        gram += piece @ piece.T
        usable = piece.shape[1] // FRAME * FRAME
        if usable:
            frames = piece[:, :usable].reshape(channels, -1, FRAME)
            levels.append(10 * np.log10((frames**2).mean(axis=2) + 1e-10))
    if not levels:
        return []
    db = np.concatenate(levels, axis=1)
    loud = np.percentile(db, 95, axis=1, keepdims=True)
    active = (db > SILENCE_DBFS) & (db > loud - ACTIVE_RANGE_DB)
    speaking = []
    for channel in range(channels):
        others = np.delete(db, channel, axis=0).max(axis=0)
        alone = active[channel] & (db[channel] - others >= ALONE_DB)
        if alone.sum() * FRAME / SAMPLE_RATE >= MIN_ALONE_S:
            speaking.append(channel)
    power = np.sqrt(np.diag(gram)) + 1e-12
    correlation = np.abs(gram / np.outer(power, power))
    for position, first in enumerate(speaking):
        for second in speaking[position + 1 :]:
            if correlation[first, second] >= MAX_CORRELATION:
                return []
    return speaking if len(speaking) >= 2 else []


def mixed(window: Window, layout: str) -> Window:
    """The window's channels (in `layout`, as decoded) mixed into one as FFmpeg mixes them,
    the very sound that decoding the file to one channel gives, without decoding it again."""
    if window.samples.shape[0] == 1:
        return window
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(window.samples), format="fltp", layout=layout
    )
    frame.sample_rate = SAMPLE_RATE
    resampler = av.AudioResampler(format="fltp", layout="mono", rate=SAMPLE_RATE)
    try:
        blocks = [out.to_ndarray() for out in resampler.resample(frame)]
        blocks += [out.to_ndarray() for out in resampler.resample(None)]
    finally:
        del resampler, frame
        gc.collect()  # as in _decoded: the resampler's buffers go when collected
    return Window(window.start, np.concatenate(blocks, axis=1))


def mono_wav(source: Source, info: MediaInfo, path: Path) -> Path:
    """The recording mixed to one channel at 16 kHz, written as a 16-bit WAV file piece by
    piece (for a part that reads files, as a diarizer does)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        for block in _decoded(source, info, mono=True):
            out.writeframes((np.clip(block[0], -1.0, 1.0) * 32767).astype("<i2").tobytes())
    return path


def _decoded(source: Source, info: MediaInfo, *, mono: bool) -> Iterator[np.ndarray]:
    """Blocks of float32 samples at 16 kHz, shape (channels, n), as PyAV decodes them."""
    name = describe(source)
    with open_media(source) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(
            format="fltp", layout="mono" if mono else stream.layout, rate=SAMPLE_RATE
        )
        position = 0.0
        try:
            for frame in container.decode(stream):
                if frame.time is not None:
                    position = frame.time
                for out in resampler.resample(frame):
                    yield out.to_ndarray()
            for out in resampler.resample(None):
                yield out.to_ndarray()
        except av.FFmpegError as error:
            raise TranscriptionError(
                f"{name} is damaged near {clock(position)} of {clock(info.duration)} "
                f"({getattr(error, 'strerror', None) or error})."
            ) from None
        finally:
            del resampler
            gc.collect()  # PyAV's resampler holds buffers until collected
