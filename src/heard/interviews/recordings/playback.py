"""The copy of a recording that browsers play: AAC in an MP4 file (`.m4a`), which Chromium,
Firefox and Safari all play, mono or stereo as the source is, 48 or 64 kbit/s.

PyAV decodes the original a frame at a time and encodes as it goes, so memory stays the same
for a 10-hour file as for a minute; the MP4 index is put at the front (`faststart`), so the
player starts and seeks before it has the whole file.
"""

from __future__ import annotations

from pathlib import Path

import av

RATE = 48_000
BITRATES = {"mono": 48_000, "stereo": 64_000}
CONTENT_TYPE = "audio/mp4"
EXTENSION = "m4a"


class PlaybackError(Exception):
    """The original could not be decoded to the end; the message says so."""


def make_playback_copy(source: Path, target: Path) -> float:
    """Write the playback copy of `source` to `target`; the seconds of sound it holds."""
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
                        samples += part.samples
                        copy.mux(encoder.encode(part))
                for part in resampler.resample(None):
                    samples += part.samples
                    copy.mux(encoder.encode(part))
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
