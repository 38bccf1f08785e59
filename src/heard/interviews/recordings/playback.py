"""The copy of a recording that browsers play: AAC in an MP4 file (`.m4a`), which Chromium,
Firefox and Safari all play, mono or stereo as the source is, 48 or 64 kbit/s.

PyAV decodes the original a frame at a time and encodes as it goes, so memory stays the same
for a 10-hour file as for a minute; the MP4 index is put at the front (`faststart`), so the
player starts and seeks before it has the whole file. Spans given as `silence` (the
recording's redactions) are zeroed in the copy, a little wider than asked, so that no word
said at their edges is heard.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np

RATE = 48_000
BITRATES = {"mono": 48_000, "stereo": 64_000}
CONTENT_TYPE = "audio/mp4"
EXTENSION = "m4a"
# How much wider than asked a silenced span is, each side: word times are a guess to a tenth
# of a second or so.
SILENCE_MARGIN_MS = 100


class PlaybackError(Exception):
    """The original could not be decoded to the end; the message says so."""


def _silenced(part: av.AudioFrame, first: int, spans: Sequence[tuple[int, int]]) -> av.AudioFrame:
    """`part` (planar float samples, from sample `first` of the copy) with the samples inside
    `spans` (sample numbers, end excluded) zeroed; the frame itself where none falls in it."""
    last = first + part.samples
    inside = [(max(a, first), min(b, last)) for a, b in spans if a < last and b > first]
    if not inside:
        return part
    samples = part.to_ndarray()
    for a, b in inside:
        samples[:, a - first : b - first] = 0.0
    quiet = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples), format="fltp", layout=part.layout.name
    )
    quiet.sample_rate = part.sample_rate
    quiet.pts = part.pts
    quiet.time_base = part.time_base
    return quiet


def make_playback_copy(
    source: Path, target: Path, silence: Sequence[tuple[int, int]] = ()
) -> float:
    """Write the playback copy of `source` to `target`, the spans of `silence` (ms from the
    start, end excluded) silent; the seconds of sound it holds."""
    spans = [
        (max(0, (a - SILENCE_MARGIN_MS) * RATE // 1000), (b + SILENCE_MARGIN_MS) * RATE // 1000)
        for a, b in silence
    ]
    try:
        with av.open(str(source)) as original:
            stream = original.streams.audio[0]
            layout = "mono" if (stream.codec_context.channels or 1) == 1 else "stereo"
            with av.open(
                str(target), "w", format="ipod", options={"movflags": "+faststart"}
            ) as copy:
                encoder = copy.add_stream("aac", rate=RATE, layout=layout)
                encoder.bit_rate = BITRATES[layout]
                resampler = av.AudioResampler(
                    format="fltp",
                    layout=layout,
                    rate=RATE,
                    frame_size=encoder.codec_context.frame_size or 1024,
                )
                samples = 0
                for frame in original.decode(stream):
                    for part in resampler.resample(frame):
                        copy.mux(encoder.encode(_silenced(part, samples, spans)))
                        samples += part.samples
                for part in resampler.resample(None):
                    copy.mux(encoder.encode(_silenced(part, samples, spans)))
                    samples += part.samples
                copy.mux(encoder.encode(None))
    except (av.FFmpegError, IndexError) as error:
        target.unlink(missing_ok=True)
        raise PlaybackError(
            f"The recording's sound could not be read to the end ({error})."
        ) from None
    if not samples:
        target.unlink(missing_ok=True)
        raise PlaybackError("The recording holds no sound that could be decoded.")
    return samples / RATE
