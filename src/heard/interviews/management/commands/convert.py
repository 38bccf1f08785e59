from __future__ import annotations

import os
import tempfile
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
        fmt = options["to"] or _from_extension(output)
        if fmt == "docx" and output is None:
            raise CommandError("A Word file cannot go to the terminal: name one with -o OUT.docx.")
        try:
            document = read_path(options["transcript"])
            data = write(document, fmt)
        except TranscriptFormatError as error:
            raise CommandError(f"{options['transcript']}: {error}") from None
        for warning in document.warnings:
            self.stderr.write(f"warning: {warning}")
        if output is None:
            self.stdout.write(data.decode(), ending="")
            return
        try:
            _write_whole(output, data)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        self.stderr.write(
            f"Wrote {len(document.segments)} segment(s), {document.source_format} to {fmt}, "
            f"to {output}."
        )


def _from_extension(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in WRITERS else "txt"


def _write_whole(path: Path, data: bytes) -> None:
    """Write the file whole or not at all: a half-written transcript is never left behind."""
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
