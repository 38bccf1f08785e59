"""What a recording holds, read by PyAV (FFmpeg's libraries) from its content, never from its
name: the container, its streams, the duration, the channels.

A file is taken when it is one of the containers people record calls in (MP3, MP4/M4A/MOV,
WAV, FLAC, Ogg/Opus, WebM/Matroska) and holds an audio stream that lasts more than an instant.
A container that says how long it is and ends well before that is cut short (truncated).
Only the head of the file and its last minute are read, so a 10-hour file probes as fast as a
short one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
from av.container import InputContainer

# FFmpeg's demuxer names of the containers taken, and the extension each is stored with.
CONTAINERS = {
    "mp3": "mp3",
    "mov,mp4,m4a,3gp,3g2,mj2": "mp4",
    "wav": "wav",
    "flac": "flac",
    "ogg": "ogg",
    "matroska,webm": "mkv",
}
ACCEPTED = "MP3, M4A, WAV, FLAC, Ogg or Opus, WebM, MP4, MOV or MKV"
# Content types for the stored original, by container (and video or not).
CONTENT_TYPES = {
    "mp3": ("audio/mpeg", "audio/mpeg"),
    "mp4": ("audio/mp4", "video/mp4"),
    "wav": ("audio/wav", "audio/wav"),
    "flac": ("audio/flac", "audio/flac"),
    "ogg": ("audio/ogg", "video/ogg"),
    "mkv": ("audio/webm", "video/webm"),
}
# The last stretch read to find where the audio really ends.
TAIL_SECONDS = 60
# How much shorter than it says a file may be before it counts as cut short.
SLACK_SECONDS = 0.5


class ProbeError(Exception):
    """The file is not a recording Heard takes; the message says why, for the uploader."""


@dataclass(frozen=True)
class Probe:
    container: str  # "mp4", "mkv", … (CONTAINERS' values): the stored file's extension
    duration: float
    audio_codec: str
    video_codec: str
    channels: int
    sample_rate: int
    has_video: bool

    @property
    def content_type(self) -> str:
        audio, video = CONTENT_TYPES[self.container]
        return video if self.has_video else audio


def _audio_end(
    container: InputContainer, stream: av.audio.stream.AudioStream, near: float
) -> float:
    """Where the last audio packet ends, in seconds; reading from `near` seconds before the end
    when the container can seek there, else from the start."""
    if near > TAIL_SECONDS:
        try:
            container.seek(int((near - TAIL_SECONDS) * av.time_base), backward=True)
        except av.FFmpegError:
            container.seek(0)
    end = 0.0
    for packet in container.demux(stream):
        if packet.pts is None or packet.time_base is None:
            continue
        end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end


def probe(path: Path) -> Probe:
    """What the file at `path` holds; ProbeError when Heard cannot take it."""
    if path.stat().st_size == 0:
        raise ProbeError("The file is empty.")
    try:
        container = av.open(str(path))
    except (av.FFmpegError, UnicodeDecodeError, ValueError):
        raise ProbeError(
            f"This file is not audio or video that Heard can read, or it is cut short. "
            f"Heard takes {ACCEPTED} files."
        ) from None
    with container:
        kind = CONTAINERS.get(container.format.name)
        if kind is None:
            raise ProbeError(
                f"This is a {container.format.long_name or container.format.name} file. "
                f"Heard takes {ACCEPTED} files."
            )
        videos = [
            stream
            for stream in container.streams.video
            if not stream.disposition & av.stream.Disposition.attached_pic
        ]
        if not container.streams.audio:
            raise ProbeError(
                "This file has no sound: it holds video only. Upload a file with the call's audio."
            )
        audio = container.streams.audio[0]
        declared = container.duration / av.time_base if container.duration else 0.0
        try:
            end = _audio_end(container, audio, declared)
        except av.FFmpegError:
            raise ProbeError("This file is damaged: its audio cannot be read.") from None
        if declared and end + SLACK_SECONDS < declared:
            raise ProbeError(
                f"This file is cut short: it says it lasts {declared:.0f} seconds but its sound "
                f"stops after {end:.0f}. Upload it again from the original."
            )
        duration = declared or end
        if duration <= 0 or end <= 0:
            raise ProbeError("This recording is empty: it lasts 0 seconds.")
        context = audio.codec_context
        return Probe(
            container=kind,
            duration=duration,
            audio_codec=context.name or "",
            video_codec=videos[0].codec_context.name if videos else "",
            channels=context.channels or 0,
            sample_rate=context.sample_rate or 0,
            has_video=bool(videos),
        )
