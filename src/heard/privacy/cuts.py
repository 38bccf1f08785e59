"""What a redaction takes out: `Cut`s, each a span of one transcript line's or one note's text,
found from the words a person selected on a transcript (across lines and speakers) or typed
for a note. `redaction.redact` makes them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from heard.interviews.models import Note, RedactionReason, Transcript, TranscriptStatus
from heard.interviews.transcripts.highlights import HighlightError, lines_between

# A selection runs over at most this many lines.
MAX_LINES = 30

SEGMENT = "segment"
NOTE = "note"


class RedactionError(Exception):
    """A redaction that cannot be made, with the reason to show."""


@dataclass(frozen=True)
class Cut:
    """The characters `start` to `end` (excluded) of one line's (`SEGMENT`) or note's (`NOTE`)
    text, which read `words` when they were chosen."""

    kind: str
    pk: str
    start: int
    end: int
    words: str
    reason: str = RedactionReason.CHOSEN

    @property
    def key(self) -> str:
        """The cut as a form's value: `segment:12:40:52`."""
        return f"{self.kind}:{self.pk}:{self.start}:{self.end}"

    @classmethod
    def parse(cls, key: str, words: str, reason: str) -> Cut:
        kind, pk, start, end = [*key.split(":"), "", "", ""][:4]
        if kind not in (SEGMENT, NOTE) or not start.isdigit() or not end.isdigit():
            raise RedactionError("That suggestion is not one Heard made: look again.")
        if reason not in RedactionReason.values:
            reason = RedactionReason.CHOSEN
        return cls(kind, pk, int(start), int(end), words, reason)


def _flat_map(text: str) -> tuple[str, list[int]]:
    """`text` with its whitespace collapsed (as the page shows it and a selection reads it),
    and where each of its characters is in `text`."""
    flat: list[str] = []
    where: list[int] = []
    pending_space = False
    for position, char in enumerate(text):
        if char.isspace():
            pending_space = bool(flat)
            continue
        if pending_space:
            flat.append(" ")
            where.append(position - 1)
            pending_space = False
        flat.append(char)
        where.append(position)
    return "".join(flat), where


def cuts_of_selection(
    transcript: Transcript, first_pk: int, last_pk: int | None, words: str, at: int | None
) -> list[Cut]:
    """The cuts of words selected in the lines `first_pk` to `last_pk` (the same line if
    None), across speakers; `at`, where in the first line (whitespace collapsed) the
    selection starts, picks among words said more than once."""
    if transcript.status != TranscriptStatus.READY:
        raise RedactionError("Redact a transcript once it is ready.")
    wanted = " ".join(words.split())
    if not wanted:
        raise RedactionError("Select the words to redact.")
    try:
        lines = lines_between(
            transcript,
            first_pk,
            last_pk,
            MAX_LINES,
            f"Redact at most {MAX_LINES} lines at once: select fewer.",
        )
    except HighlightError as refused:
        raise RedactionError(str(refused)) from None
    maps = [_flat_map(line.text) for line in lines]
    starts, length = [], 0
    for flat, _where in maps:
        starts.append(length)
        length += len(flat) + 1
    joined = " ".join(flat for flat, _where in maps)
    found = [m.start() for m in re.finditer(re.escape(wanted), joined)]
    if not found:
        raise RedactionError(
            "Those words are not in the lines selected (were they edited meanwhile?): "
            "select them again."
        )
    hint = at
    begin = min(found, key=lambda s: abs(s - hint)) if hint is not None else found[0]
    end = begin + len(wanted)
    cuts = []
    for line, (flat, where), start in zip(lines, maps, starts, strict=True):
        a, b = max(begin, start) - start, min(end, start + len(flat)) - start
        if a >= b or a >= len(flat):
            continue
        raw_a, raw_b = where[a], where[b - 1] + 1
        cuts.append(Cut(SEGMENT, str(line.pk), raw_a, raw_b, line.text[raw_a:raw_b]))
    return cuts


def cuts_in_note(note: Note, words: str) -> list[Cut]:
    """The cuts of every place `words` stand in a note's text (case aside)."""
    wanted = " ".join(words.split())
    if not wanted:
        raise RedactionError("Type the words to redact, as the note has them.")
    pattern = re.compile(r"\s+".join(re.escape(part) for part in wanted.split()), re.IGNORECASE)
    cuts = [
        Cut(NOTE, str(note.pk), m.start(), m.end(), m.group()) for m in pattern.finditer(note.text)
    ]
    if not cuts:
        raise RedactionError("The note does not hold those words: copy them from it.")
    return cuts
