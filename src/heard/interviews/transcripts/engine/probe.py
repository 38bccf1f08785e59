"""What a media file holds, read with PyAV before anything is decoded: a renamed text file,
an empty, cut-off or silent (video-only) file is refused here with a reason."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import av

from heard.core.terminal import clock
from heard.interviews.transcripts.engine.errors import TranscriptionError

# A path, or a binary file object that can seek (Django's stored files can).
Source = str | os.PathLike[str] | IO[bytes]

# A file is cut off when its audio ends this much before the length its header promises.
TRUNCATION_MARGIN_S = 1.0
TRUNCATION_MARGIN_RATIO = 0.02
# What FFmpeg makes of a plain text file (it shows text as a picture).
TEXT_FORMATS = frozenset({"tty", "txt"})
# Formats whose stated length is only a guess from the bit rate: never called cut off.
GUESSED_LENGTH_FORMATS = frozenset({"mp3", "aac", "ac3", "eac3", "mpeg", "mpegts"})


@dataclass(frozen=True)
class MediaInfo:
    """The first audio stream of a recording, and what else the file holds."""

    duration: float  # seconds of audio, as far as the audio's packets reach
    channels: int
    sample_rate: int
    codec: str
    container: str
    has_video: bool
    layout: str


def describe(source: Source) -> str:
    """A short name for messages: the file's name, or "the file"."""
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    name = getattr(source, "name", "")
    return Path(name).name if isinstance(name, str) and name else "the file"


@contextmanager
def open_media(source: Source) -> Iterator[Any]:
    """The container opened for reading, with PyAV's errors turned into TranscriptionError."""
    name = describe(source)
    if not isinstance(source, str | os.PathLike):
        source.seek(0)
    try:
        container = av.open(
            os.fspath(source) if isinstance(source, str | os.PathLike) else source,
            mode="r",
        )
    except FileNotFoundError:
        raise TranscriptionError(f"{name}: no such file.") from None
    except IsADirectoryError:
        raise TranscriptionError(f"{name} is a folder, not a recording.") from None
    except (av.FFmpegError, OSError, UnicodeDecodeError) as error:
        raise TranscriptionError(
            f"{name} is not an audio or video file that can be read ({_reason(error)})."
        ) from None
    try:
        yield container
    finally:
        container.close()


def probe(source: Source) -> MediaInfo:
    """The recording's audio: its length, channels and codec; TranscriptionError when it
    is empty, not media, has no sound, lasts 0 seconds or stops short of its stated length.

    The audio's packets are read to the end (not decoded), so the length is what the file
    holds, not only what its header claims.
    """
    name = describe(source)
    if _size(source) == 0:
        raise TranscriptionError(f"{name} is empty (0 bytes).")
    with open_media(source) as container:
        if container.format.name in TEXT_FORMATS:
            raise TranscriptionError(f"{name} is text, not an audio or video file.")
        if not container.streams.audio:
            if container.streams.video:
                raise TranscriptionError(f"{name} holds video but no sound to transcribe.")
            raise TranscriptionError(f"{name} holds no sound to transcribe.")
        stream = container.streams.audio[0]
        context = stream.codec_context
        if not context.channels or not context.sample_rate:
            raise TranscriptionError(f"{name}: its sound cannot be decoded (unknown format).")
        stated = None
        if container.format.name not in GUESSED_LENGTH_FORMATS:
            stated = _stated_duration(container, stream)
        reached = _audio_end(container, stream, name)
        info = MediaInfo(
            duration=reached,
            channels=context.channels,
            sample_rate=context.sample_rate,
            codec=context.name,
            container=container.format.name,
            has_video=bool(container.streams.video),
            layout=stream.layout.name,
        )
    if reached <= 0:
        raise TranscriptionError(f"{name} lasts 0 seconds: there is nothing to transcribe.")
    if stated and stated - reached > max(TRUNCATION_MARGIN_S, stated * TRUNCATION_MARGIN_RATIO):
        raise TranscriptionError(
            f"{name} is cut off: its sound stops at {clock(reached)} of the "
            f"{clock(stated)} it should last."
        )
    return info


def _stated_duration(container: Any, stream: Any) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return None


def _audio_end(container: Any, stream: Any, name: str) -> float:
    """Seconds from the stream's start to the end of its last packet."""
    first = last = None
    try:
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            end = packet.pts + (packet.duration or 0)
            first = packet.pts if first is None else min(first, packet.pts)
            last = end if last is None else max(last, end)
    except av.FFmpegError as error:
        raise TranscriptionError(f"{name} is damaged ({_reason(error)}).") from None
    if first is None or last is None or stream.time_base is None:
        return 0.0
    return float((last - first) * stream.time_base)


def _size(source: Source) -> int | None:
    if isinstance(source, str | os.PathLike):
        try:
            return os.stat(source).st_size
        except OSError:
            return None  # open_media says why
    try:
        source.seek(0, io.SEEK_END)
        return source.tell()
    except (OSError, ValueError):
        return None
    finally:
        source.seek(0)


def _reason(error: BaseException) -> str:
    """PyAV's message without its errno and file name decorations."""
    text = getattr(error, "strerror", None) or str(error)
    return str(text).strip().rstrip(".") or type(error).__name__
