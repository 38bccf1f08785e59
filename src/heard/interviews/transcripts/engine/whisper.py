"""faster-whisper, the engine Heard transcribes with: CTranslate2 on the CPU or a CUDA GPU.

The model is loaded once per process and kept (by folder, device, compute type and threads).
Two ways of decoding, chosen per stretch of sound (a window of up to five minutes):

- batched (faster-whisper's BatchedInferencePipeline) for a minute of sound or more, on a
  GPU and on a CPU alike: it cuts the speech into pieces of up to 30 s, decodes several at
  once and writes no timestamp tokens, one segment per piece. On a 2-core CPU with tiny.en,
  five minutes of speech took 11.9 s sequentially and 8.3, 6.9, 6.9 and 6.1 s in batches of
  2, 4, 8 and 16 (`bench/transcribe.py`, the machine otherwise quiet): the bigger the batch,
  the faster, on a CPU too. A batch of 16 holds, as a rule, every piece of a five-minute
  window (pieces are filled with speech up to 30 s), so a window is one batch, and its
  segments come together when it is done. Memory bounds it on a CPU: each piece of a batch
  keeps its beams' cross-attention keys and values (at most 92 MB for tiny.en, 550 MB for
  small), so a CPU batches as many pieces as fit in CPU_BATCH_MEMORY: 11 for tiny (still a
  five-minute window at once, as a rule), 5 for base, 1 for small and larger (one piece at
  a time, still faster than the sequential decoder: 9.6 s against 13 s with tiny.en).
- sequential (WhisperModel.transcribe) for shorter stretches: a short clip gains under a
  second from batching, and the sequential decoder's shorter segments read better and keep
  the previous text as context.
"""

from __future__ import annotations

import os
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from django.conf import settings

from heard.interviews.transcripts.document import Segment, Word
from heard.interviews.transcripts.engine.base import Engine, Stretch
from heard.interviews.transcripts.engine.catalogue import resolve
from heard.interviews.transcripts.engine.errors import ModelError

# The options every transcription uses (the benchmark calls faster-whisper with these too).
# One temperature: no fallback to sampling. Whisper samples again at rising temperatures when
# a stretch's text repeats itself (a compression ratio over 2.4) or reads unlikely; the last
# sample then stands, different on every run, and when it reads as silence the stretch's
# words vanish from the transcript ("No speech was heard" for a clear recording of a
# repeated phrase, one run in six). With the voice filter on, the loops the fallback escapes
# are rare; the same sound always gives the same words.
DECODE_OPTIONS: dict[str, Any] = {
    "beam_size": 5,
    "vad_filter": True,
    "word_timestamps": True,
    "temperature": 0.0,
}
BATCH_SIZE = 16  # a five-minute window's pieces, all at once, on a CPU as on a GPU
CPU_BATCH_MEMORY = 1 << 30  # bytes the pieces of a batch may keep on a CPU
AUDIO_FRAMES = 1500  # the encoder's output for 30 s of sound
BATCHED_FROM_S = 60.0  # shorter stretches are decoded sequentially


@dataclass(frozen=True)
class WhisperSetup:
    """How to run faster-whisper, as the settings say (each may be overridden per call)."""

    model: str
    device: str = "auto"  # auto | cpu | cuda
    compute_type: str = ""  # empty: int8 on a CPU, float16 on a GPU
    threads: int = 0  # 0: every core this process may use
    batch_size: int | None = None  # None: BATCH_SIZE; 0: always sequential

    @classmethod
    def from_settings(cls, **overrides: Any) -> WhisperSetup:
        setup = cls(
            model=settings.HEARD_WHISPER_MODEL,
            device=settings.HEARD_WHISPER_DEVICE,
            compute_type=settings.HEARD_WHISPER_COMPUTE_TYPE,
            threads=settings.HEARD_WHISPER_THREADS,
            batch_size=settings.HEARD_WHISPER_BATCH_SIZE,
        )
        return replace(
            setup, **{key: value for key, value in overrides.items() if value is not None}
        )


@dataclass(frozen=True)
class Resolved:
    """A setup with every choice made: what is loaded and how it runs."""

    path: Path
    device: str
    compute_type: str
    threads: int
    batch_size: int  # for stretches of BATCHED_FROM_S or more; 0: always sequential

    def batched(self, seconds: float) -> bool:
        """Whether a stretch this long is decoded in batches."""
        return bool(self.batch_size) and seconds >= BATCHED_FROM_S

    def model_kwargs(self) -> dict[str, Any]:
        """WhisperModel's arguments for this setup."""
        return {
            "model_size_or_path": str(self.path),
            "device": self.device,
            "compute_type": self.compute_type,
            "cpu_threads": self.threads,
        }


def cuda_available() -> bool:
    import ctranslate2

    try:
        return ctranslate2.get_cuda_device_count() > 0
    except RuntimeError:
        return False


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_setup(setup: WhisperSetup) -> Resolved:
    device = setup.device
    if device == "auto":
        device = "cuda" if cuda_available() else "cpu"
    elif device == "cuda" and not cuda_available():
        raise ModelError("HEARD_WHISPER_DEVICE is cuda, but no CUDA GPU can be used here.")
    compute_type = setup.compute_type or ("float16" if device == "cuda" else "int8")
    path = resolve(setup.model)
    batch_size = setup.batch_size
    if batch_size is None:
        batch_size = BATCH_SIZE if device == "cuda" else cpu_batch_size(path)
    return Resolved(
        path=path,
        device=device,
        compute_type=compute_type,
        threads=setup.threads or usable_cores(),
        batch_size=batch_size,
    )


def cpu_batch_size(path: Path) -> int:
    """As many pieces as fit in CPU_BATCH_MEMORY, from 1 to BATCH_SIZE."""
    per_piece = piece_memory(path / "model.bin")
    if not per_piece:
        return 1
    return max(1, min(BATCH_SIZE, CPU_BATCH_MEMORY // per_piece))


def piece_memory(model_bin: Path) -> int:
    """The bytes one piece of a batch keeps while it is decoded on a CPU: for each decoder
    layer and beam, the keys and values of 30 s of encoded sound, in float32. Read from the
    names and shapes in the CTranslate2 model file (0 when it cannot be read)."""
    layers, width = 0, 0
    try:
        with model_bin.open("rb") as model:
            model.read(4)  # the format's version
            _string(model)  # the kind of model
            _revision, count = struct.unpack("<II", model.read(8))
            for _variable in range(count):
                name = _string(model)
                (rank,) = struct.unpack("<B", model.read(1))
                shape = struct.unpack(f"<{rank}I", model.read(4 * rank))
                _dtype, size = struct.unpack("<BI", model.read(5))
                model.seek(size, os.SEEK_CUR)
                if name.startswith("decoder/layer_") and name.endswith(
                    "/attention/linear_1/weight"
                ):  # a cross-attention layer's keys and values, made from the sound
                    layers, width = layers + 1, shape[0]
    except (OSError, struct.error, UnicodeDecodeError):
        return 0
    beams = int(DECODE_OPTIONS["beam_size"])
    return layers * beams * AUDIO_FRAMES * width * 4


def _string(model: Any) -> str:
    (length,) = struct.unpack("<H", model.read(2))
    return model.read(length)[:-1].decode()


_loaded: dict[tuple[str, str, str, int], Any] = {}
_loading = threading.Lock()


def load_model(resolved: Resolved) -> Any:
    """The WhisperModel for this setup, loaded the first time and kept for the process."""
    key = (str(resolved.path), resolved.device, resolved.compute_type, resolved.threads)
    with _loading:
        if key not in _loaded:
            from faster_whisper import WhisperModel

            try:
                _loaded[key] = WhisperModel(**resolved.model_kwargs())
            except (RuntimeError, ValueError, OSError) as error:
                raise ModelError(
                    f"The model in {resolved.path} cannot be loaded on {resolved.device} "
                    f"({resolved.compute_type}): {error}"
                ) from None
        return _loaded[key]


class FasterWhisperEngine(Engine):
    name: ClassVar[str] = "faster-whisper"

    def __init__(self, setup: WhisperSetup) -> None:
        self.resolved = resolve_setup(setup)
        self.model_name = setup.model
        self.model = load_model(self.resolved)

    @property
    def description(self) -> str:
        mode = "sequential"
        if self.resolved.batch_size:
            mode = (
                f"batches of {self.resolved.batch_size} from {BATCHED_FROM_S:.0f} s, "
                "sequential below"
            )
        return (
            f"{self.model_name} on {self.resolved.device} "
            f"({self.resolved.compute_type}, {self.resolved.threads} threads, {mode})"
        )

    def transcribe(self, samples: np.ndarray, *, language: str | None, prompt: str) -> Stretch:
        if self.resolved.batched(len(samples) / self.sample_rate):
            from faster_whisper import BatchedInferencePipeline

            # A pipeline per stretch: it keeps word-timing state from one batch to the next.
            # No prompt: the pipeline would give the same one to every piece of the stretch.
            pipeline = BatchedInferencePipeline(model=self.model)
            segments, info = pipeline.transcribe(
                samples, language=language, batch_size=self.resolved.batch_size, **DECODE_OPTIONS
            )
        else:
            segments, info = self.model.transcribe(
                samples, language=language, initial_prompt=prompt or None, **DECODE_OPTIONS
            )
        return Stretch(language=info.language, segments=_converted(segments))


# A line of the transcript ends at a sentence's end, or where the speaker paused this long.
SENTENCE_END = (".", "?", "!", "\u2026", "\u3002", "\uff1f", "\uff01")
PAUSE_S = 1.5


def _converted(segments: Any) -> Iterator[Segment]:
    for segment in segments:
        words = [
            (
                word.word,
                Word(
                    start=float(word.start),
                    end=float(word.end),
                    text=word.word.strip(),
                    probability=float(word.probability),
                ),
            )
            for word in segment.words or ()
        ]
        if not words:
            text = segment.text.strip()
            if text:
                yield Segment(text=text, start=float(segment.start), end=float(segment.end))
            continue
        yield from _sentences(words)


def _sentences(words: list[tuple[str, Word]]) -> Iterator[Segment]:
    """A decoded segment as the lines a person reads: split after each sentence and at each
    pause. The batched decoder gives one segment per piece of up to 30 s of speech (a whole
    side of a conversation, on a track of its own), which no one can read, quote or play
    line by line. The words keep their own spacing, so no script gains or loses spaces."""
    piece: list[tuple[str, Word]] = []
    for n, (raw, word) in enumerate(words):
        piece.append((raw, word))
        after = words[n + 1][1] if n + 1 < len(words) else None
        ends = word.text.endswith(SENTENCE_END) or (
            after is not None and after.start - word.end >= PAUSE_S
        )
        if ends or after is None:
            text = "".join(raw for raw, _ in piece).strip()
            if text:
                timed = [w for _, w in piece]
                yield Segment(text=text, start=timed[0].start, end=timed[-1].end, words=timed)
            piece = []
