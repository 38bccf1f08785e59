"""Word documents (.docx), as Otter, Rev and Google Meet export transcripts: paragraphs with
a speaker and a time above or before the text, or `Speaker: text` (read as text transcripts
are, `turns.py`); table rows of time, speaker and text too. Written: a heading, then one
paragraph per segment, `[00:01:02] Name: text`, the name in bold."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from heard.interviews.transcripts.document import TranscriptDocument
from heard.interviews.transcripts.formats.base import (
    MAX_BYTES,
    Content,
    Reading,
    TranscriptFormat,
    TranscriptFormatError,
    clock,
)
from heard.interviews.transcripts.formats.text import parse_time
from heard.interviews.transcripts.formats.turns import read_turns

ZIP_MAGIC = b"PK\x03\x04"
# What the parts of a Word file may unpack to, all together: a file that unpacks to more is
# refused before it is opened (a few kilobytes can unpack to gigabytes).
MAX_UNPACKED = 4 * MAX_BYTES


class Docx(TranscriptFormat):
    name = "docx"
    label = "Word"
    extensions = (".docx",)

    def sniff(self, content: Content) -> float:
        if not content.data.startswith(ZIP_MAGIC):
            return 0.0
        try:
            with zipfile.ZipFile(io.BytesIO(content.data)) as archive:
                return 1.0 if "word/document.xml" in archive.namelist() else 0.0
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return 0.0

    def read(self, content: Content) -> TranscriptDocument:
        import docx

        try:
            with zipfile.ZipFile(io.BytesIO(content.data)) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > MAX_UNPACKED:
                raise TranscriptFormatError(
                    f"This Word file unpacks to {unpacked:,} bytes, more than the "
                    f"{MAX_UNPACKED:,} Heard opens. Save the transcript as text and import that."
                )
            document = docx.Document(io.BytesIO(content.data))
            lines = list(_lines(document))
        except TranscriptFormatError:
            raise
        except Exception as error:  # python-docx raises many kinds for a damaged file
            raise TranscriptFormatError(
                f"This Word file could not be opened ({type(error).__name__}: {error}). "
                "Open it in a word processor and save it again, or export the transcript as text."
            ) from None
        reading = Reading(self)
        read_turns(reading, lines, unit="Paragraph")
        return reading.finish()

    def write(self, document: TranscriptDocument) -> bytes:
        import docx

        word = docx.Document()
        word.add_heading("Transcript", level=1)
        for segment in document.segments:
            paragraph = word.add_paragraph()
            if segment.start is not None:
                paragraph.add_run(f"[{clock(segment.start, fraction=False)}] ")
            if segment.speaker:
                paragraph.add_run(f"{segment.speaker}:").bold = True
                paragraph.add_run(" ")
            paragraph.add_run(segment.text.strip())
        out = io.BytesIO()
        word.save(out)
        return out.getvalue()


def _lines(document: object) -> Iterator[tuple[int, str]]:
    """The document's paragraphs and table rows in order, each as a line of text (a
    paragraph's line breaks as lines of their own)."""
    from docx.table import Table

    number = 0
    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            texts = [_row(row) for row in block.rows]
        else:
            # The style's id, not its name: looking a name up costs a search of every style.
            if (block._p.style or "").startswith(("Heading", "Title")):
                number += 1
                yield number, f"# {block.text}"
                continue
            texts = block.text.split("\n")
        for text in texts:
            number += 1
            yield number, text


def _row(row: object) -> str:
    """A table row as a line: `[time] Speaker: text` from cells of a time, a name and text."""
    cells = [cell.text.strip() for cell in row.cells]  # type: ignore[attr-defined]
    cells = [cell for index, cell in enumerate(cells) if cell and cell not in cells[:index]]
    times = [cell for cell in cells if parse_time(cell) is not None]
    rest = [cell for cell in cells if parse_time(cell) is None]
    head = f"[{times[0]}] " if times else ""
    if len(rest) >= 2:
        return f"{head}{rest[0]}: {' '.join(rest[1:])}"
    return f"{head}{' '.join(rest)}"
