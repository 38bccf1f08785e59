from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.interviews.transcripts.formats import (
    WRITERS,
    TranscriptFormatError,
    read_path,
    write,
)
from heard.interviews.transcripts.formats.output import deliver, format_for


class Command(BaseCommand):
    help = (
        "Convert a transcript from any format Heard reads (WebVTT, SubRip, SBV, Zoom, Otter, "
        "Rev, Meet and Markdown text, Word, Rev JSON, Heard JSON) to vtt, srt, txt, json or "
        "docx. Needs no database. What the reader skipped or mended is printed on stderr."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("transcript", type=Path, help="The transcript file to read.")
        parser.add_argument(
            "--to",
            choices=sorted(WRITERS),
            help="The format to write; by default the output file's extension, else txt.",
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="The file to write (replaced if it exists); without it, standard output.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        try:
            fmt = format_for(options["to"], output, WRITERS, default="txt")
        except TranscriptFormatError as error:
            raise CommandError(str(error)) from None
        try:
            document = read_path(options["transcript"])
            data = write(document, fmt)
        except TranscriptFormatError as error:
            raise CommandError(f"{options['transcript']}: {error}") from None
        for warning in document.warnings:
            self.stderr.write(f"warning: {warning}")
        try:
            deliver(data, output)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        if output is None:
            return
        self.stderr.write(
            f"Wrote {len(document.segments)} segment(s), {document.source_format} to {fmt}, "
            f"to {output}."
        )
