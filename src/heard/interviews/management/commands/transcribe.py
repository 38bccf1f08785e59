from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.core.terminal import ProgressBar, clock
from heard.interviews.transcripts.engine import TranscriptionError, transcribe
from heard.interviews.transcripts.formats import WRITERS, TranscriptFormatError, write
from heard.interviews.transcripts.formats.output import deliver, format_for


class Command(BaseCommand):
    help = (
        "Transcribe an audio or video file on this machine (no database needed), with the "
        "speech model HEARD_WHISPER_MODEL names. A recording whose channels each hold one "
        "speaker (a two-track call) gives one speaker per channel."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("audio", type=Path, help="The recording: mp3, m4a, wav, mp4, …")
        parser.add_argument("--model", help="A model name or folder (HEARD_WHISPER_MODEL).")
        parser.add_argument("--language", help="The spoken language, e.g. en (else detected).")
        parser.add_argument(
            "--speakers",
            help="Names for the channels' speakers, comma-separated (else Channel 1, 2, …).",
        )
        parser.add_argument(
            "--to",
            choices=sorted(WRITERS),
            help="The transcript's format (default: from -o's extension, else json).",
        )
        parser.add_argument("-o", "--output", type=Path, help="Write here instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        audio: Path = options["audio"]
        output: Path | None = options["output"]
        try:
            fmt = format_for(options["to"], output, WRITERS, default="json")
        except TranscriptFormatError as error:
            raise CommandError(str(error)) from None
        speakers = [name.strip() for name in (options["speakers"] or "").split(",")]
        bar = ProgressBar(f"Transcribing {audio.name}")
        started = time.monotonic()
        try:
            document = transcribe(
                audio,
                model=options["model"],
                language=options["language"],
                speakers=[name for name in speakers if name],
                on_progress=bar.update,
            )
            data = write(document, fmt)
        except (TranscriptionError, TranscriptFormatError) as error:
            bar.finish()
            raise CommandError(str(error)) from None
        except KeyboardInterrupt:
            bar.finish()
            raise CommandError("Stopped: nothing was written.", returncode=130) from None
        bar.finish()
        try:
            deliver(data, output)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        length = document.duration or 0.0
        speakers_heard = len(document.speakers) or 1
        self.stderr.write(
            f"Transcribed {clock(length)} in {clock(time.monotonic() - started)}: "
            f"{len(document.segments)} segments, {speakers_heard} "
            f"speaker{'s' if speakers_heard > 1 else ''}"
            + (f", written to {output}." if output else ".")
        )
        for warning in document.warnings:
            self.stderr.write(warning)
