"""Real audio and video files made by the tests with PyAV: a tone, in any container Heard
takes, with or without video, of any length; and a recording stored ready to play."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import av
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from heard.accounts.models import User
from heard.interviews.models import Interview, Recording, RecordingStatus

RATE = 48_000
# (muxer, audio codec, video codec or "") for each kind of file people upload.
KINDS: dict[str, tuple[str, str, str]] = {
    "mp3": ("mp3", "libmp3lame", ""),
    "m4a": ("ipod", "aac", ""),
    "wav": ("wav", "pcm_s16le", ""),
    "flac": ("flac", "flac", ""),
    "ogg": ("ogg", "libopus", ""),
    "opus": ("opus", "libopus", ""),
    "webm": ("webm", "libopus", "vp8"),
    "mp4": ("mp4", "aac", "mpeg4"),
    "mov": ("mov", "aac", "mpeg4"),
    "mkv": ("matroska", "flac", "mpeg4"),
}


def _tone(start: int, count: int, channels: int) -> bytes:
    """`count` samples of a 440 Hz tone (16-bit, interleaved), from sample `start`."""
    samples = (int(8000 * math.sin(2 * math.pi * 440 * (start + i) / RATE)) for i in range(count))
    return b"".join(struct.pack("<h", value) * channels for value in samples)


def make_media(
    path: Path,
    kind: str,
    *,
    seconds: float = 2.0,
    channels: int = 1,
    audio: bool = True,
    video: bool | None = None,
) -> Path:
    """Write a file of `kind` (a key of KINDS) to `path`: a tone of `seconds`, and a small
    moving picture where the kind has video (or `video` says so)."""
    muxer, audio_codec, video_codec = KINDS[kind]
    with_video = bool(video_codec) if video is None else video
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), "w", format=muxer) as out:
        sound = out.add_stream(audio_codec, rate=RATE, layout=layout) if audio else None
        picture = None
        if with_video:
            picture = out.add_stream(video_codec or "mpeg4", rate=10)
            picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        total = int(RATE * seconds)
        if sound is not None:
            for start in range(0, total, 1024):
                count = min(1024, total - start)
                frame = av.AudioFrame(format="s16", layout=layout, samples=count)
                frame.planes[0].update(_tone(start, count, channels))
                frame.sample_rate, frame.pts = RATE, start
                out.mux(sound.encode(frame))
            out.mux(sound.encode(None))
        if picture is not None:
            for index in range(max(1, int(seconds * 10))):
                image = av.VideoFrame(64, 48, "yuv420p")
                for plane in image.planes:
                    plane.update(bytes([index * 20 % 256]) * plane.buffer_size)
                image.pts = index
                out.mux(picture.encode(image))
            out.mux(picture.encode(None))
    return path


def silent_wav(path: Path) -> Path:
    """A WAV file with a header and no sound at all: 0 seconds."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
    return path


def stored_recording(
    interview: Interview, user: User, folder: Path, seconds: float = 2.0
) -> Recording:
    """A ready recording of `interview` (a tone of `seconds`), its original and playback copy
    in storage."""
    original = make_media(folder / "call.mp3", "mp3", seconds=seconds)
    playback = make_media(folder / "call-play.m4a", "m4a", seconds=seconds)
    recording = Recording(
        interview=interview,
        original_name="call.mp3",
        size=original.stat().st_size,
        content_type="audio/mpeg",
        duration=seconds,
        container="mp3",
        audio_codec="mp3",
        channels=1,
        sample_rate=RATE,
        status=RecordingStatus.READY,
        uploaded_by=user,
    )
    key = recording.key
    recording.original.name = default_storage.save(
        f"recordings/{interview.pk}/{key}.mp3", ContentFile(original.read_bytes())
    )
    recording.playback.name = default_storage.save(
        f"recordings/{interview.pk}/{key}-play.m4a", ContentFile(playback.read_bytes())
    )
    recording.save()
    return recording
