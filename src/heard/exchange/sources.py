"""The plain text of a project's sources, and where in it Heard's highlights and quotes are.

A transcript is one line per segment, as Heard's TXT download writes it: its time on the
recording, who speaks and the words, `[00:12:03] Olivia Chen: …`; an interview's notes of
the call are one paragraph each, `[12:07] Pain, Tom Teammate: …`. Each line keeps where its
words begin in the text and how its words were written (`text.Rewritten`: XML-safe, and with
pseudonyms where asked), so that a highlight, found in the lines as Heard keeps them, gets
its start and end in the text exactly. Positions count characters (Unicode code points), as
REFI-QDA does; every line ends with "\\n".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from heard.exchange.text import BREAKS, Rewritten, cleaned, flat, loose, one_line
from heard.interviews.models import Note, Segment
from heard.interviews.transcripts.formats.base import clock
from heard.interviews.transcripts.highlights import MAX_LINES
from heard.participants.pseudonyms import Pseudonyms

NAME_MOST = 100


@dataclass
class Line:
    """A transcript's line, or a note, in a source's text."""

    key: object  # the segment's id, or the note's
    speaker_id: int | None
    start: int  # where its words begin in the source's text
    words: Rewritten  # its words as Heard keeps them (`original`), and as written (`text`)

    @property
    def end(self) -> int:
        return self.start + len(self.words.text)


@dataclass
class SourceText:
    """A source's whole text, and its lines in order."""

    text: str
    lines: list[Line]
    index: dict[object, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {line.key: i for i, line in enumerate(self.lines)}


class Writer:
    """A source's text, written a line at a time."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.lines: list[Line] = []

    def add(
        self, key: object, speaker_id: int | None, head: str, words: Rewritten, tail: str
    ) -> None:
        start = self.length + len(head)
        written = f"{head}{words.text}{tail}"
        self.parts.append(written)
        self.length += len(written)
        self.lines.append(Line(key, speaker_id, start, words))

    def done(self) -> SourceText:
        return SourceText("".join(self.parts), self.lines)


def transcript_name(person: str, day: str, number: int, count: int) -> str:
    """`Olivia Chen 2027-01-15: transcript` (numbered when the interview has several)."""
    return one_line(f"{person} {day}: transcript{f' {number}' if count > 1 else ''}", NAME_MOST)


def notes_name(person: str, day: str) -> str:
    return one_line(f"{person} {day}: notes of the call", NAME_MOST)


def transcript_text(
    segments: Iterable[Segment], names: dict[int, str], hide: Pseudonyms
) -> SourceText:
    """A transcript as text: `[00:12:03] Speaker: words` a line. `names`: the speakers' names
    by speaker id (`transcripts.speakers.names_for`)."""
    writer = Writer()
    for segment in segments:
        start = segment.start_ms
        when = f"[{clock(start / 1000, fraction=False)}] " if start is not None else ""
        name = names.get(segment.speaker_id, "") if segment.speaker_id else ""
        who = one_line(hide.text(name))
        head = f"{when}{who}: " if who else when
        writer.add(segment.pk, segment.speaker_id, head, cleaned(flat(segment.text), hide), "\n")
    return writer.done()


def notes_text(notes: Iterable[Note], authors: dict[int, str], hide: Pseudonyms) -> SourceText:
    """An interview's notes of the call as text: `[12:07] Pain, Tom Teammate: words`, a blank
    line between notes (a note may have several lines). `authors`: names by user id."""
    writer = Writer()
    for note in notes:
        author = one_line(authors.get(note.author_id or 0, ""))
        kind = note.get_kind_display()
        head = f"[{note.elapsed_label}] {kind}{', ' + author if author else ''}: "
        writer.add(note.pk, None, head, cleaned(BREAKS.sub("\n", note.text), hide), "\n\n")
    return writer.done()


def _joined(lines: Sequence[Line]) -> tuple[list[int], str]:
    """The lines' words as Heard keeps them, a space between lines (as highlights read
    them), and where each line starts."""
    starts, length = [], 0
    for line in lines:
        starts.append(length)
        length += len(line.words.original) + 1
    return starts, " ".join(line.words.original for line in lines)


def _span(lines: Sequence[Line], starts: list[int], at: int, end: int) -> tuple[int, int]:
    """[at, end) of the joined lines, as positions of the source's text."""
    begins = max(i for i, start in enumerate(starts) if start <= at)
    finishes = max(i for i, start in enumerate(starts) if start < end)
    first, last = lines[begins], lines[finishes]
    return (
        first.start + first.words.start(at - starts[begins]),
        last.start + last.words.end(end - starts[finishes]),
    )


def _highlight_at(
    source: SourceText, first: object, words: str
) -> tuple[list[Line], list[int], int, int] | None:
    """The lines from `first` on, where each starts in their words, and where a highlight's
    words begin and end in them: they begin in the line `first`, as `highlights.locate`
    found them."""
    index = source.index.get(first)
    wanted = flat(words)
    if index is None or not wanted:
        return None
    lines = source.lines[index : index + MAX_LINES]
    starts, joined = _joined(lines)
    at = joined.find(wanted)
    first_line_ends = starts[1] if len(starts) > 1 else len(joined)
    if at < 0 or at >= first_line_ends:
        return None
    return lines, starts, at, at + len(wanted)


def place_highlight(source: SourceText, first: object, words: str) -> tuple[int, int] | None:
    """Where a highlight's words are in the source's text, from the line `first` (a
    segment's id) on. None where the lines no longer hold them (edited since)."""
    found = _highlight_at(source, first, words)
    if found is None:
        return None
    lines, starts, at, end = found
    return _span(lines, starts, at, end)


def place_within(
    source: SourceText, first: object, outer: str, words: str
) -> tuple[int, int] | None:
    """Where `words` (a quote: an excerpt of a highlight's words `outer`, or all of them)
    are within that highlight; None where they are not in it."""
    found = _highlight_at(source, first, outer)
    wanted = flat(words)
    if found is None or not wanted:
        return None
    lines, starts, at, _end = found
    inside = flat(outer).find(wanted)
    if inside < 0:
        return None
    return _span(lines, starts, at + inside, at + inside + len(wanted))


def place_note(source: SourceText, note_id: object, words: str = "") -> tuple[int, int] | None:
    """Where a note is in its interview's notes; with `words` (a quote of it), where those
    are in the note (whitespace aside). None where the note, or the words, are not there."""
    index = source.index.get(note_id)
    if index is None:
        return None
    line = source.lines[index]
    if not words:
        return line.start, line.end
    pattern = loose(words)
    match = pattern.search(line.words.original) if pattern is not None else None
    if match is None:
        return None
    return line.start + line.words.start(match.start()), line.start + line.words.end(match.end())
