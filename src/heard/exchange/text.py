"""Text as a REFI-QDA project holds it, and where each character of Heard's text lands there.

XML 1.0 cannot hold most control characters, not even escaped, so every text Heard writes
into a project (the XML's names and descriptions, and the sources' plain text, which other
tools put into XML of their own) drops them. Participants may be named by pseudonyms. Both
change the text, so a `Rewritten` text remembers what it replaced: a selection's start and
end in the text as Heard keeps it land exactly where the same words are in the text written.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from heard.participants.pseudonyms import EMAIL, Pseudonyms

# What XML 1.0 may hold (its `Char` production), and so what is kept.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Line breaks of other systems, each read as one "\n".
BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def xml_safe(text: str) -> str:
    """The text without what XML 1.0 cannot hold."""
    return NOT_XML.sub("", text)


def flat(text: str) -> str:
    """Words apart by single spaces: a transcript's line as its highlights read it."""
    return " ".join(text.split())


def one_line(text: str, most: int = 0) -> str:
    """A name or label for XML: one line, XML-safe, cut to `most` characters (with "…")."""
    text = flat(xml_safe(text))
    return text if not most or len(text) <= most else text[: most - 1].rstrip() + "…"


def paragraphs(text: str) -> str:
    """A description or a note for XML: XML-safe, its line breaks "\\n"."""
    return xml_safe(BREAKS.sub("\n", text)).strip()


@dataclass(frozen=True)
class Piece:
    """A run of the original text [old_start, old_end) written as [new_start, new_end):
    kept as it was, or replaced (a dropped character, a name made a pseudonym)."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    kept: bool


@dataclass(frozen=True)
class Rewritten:
    """A text as written, and how to find in it a position of the text it was made from."""

    original: str
    text: str
    pieces: tuple[Piece, ...] = ()
    then: Rewritten | None = field(default=None, repr=False)

    @classmethod
    def of(cls, original: str, edits: Iterable[tuple[int, int, str]]) -> Rewritten:
        """`original` with each (start, end, replacement) of `edits` made: in order, none
        overlapping."""
        pieces: list[Piece] = []
        out: list[str] = []
        done = written = 0
        for start, end, replacement in edits:
            if start > done:
                pieces.append(Piece(done, start, written, written + start - done, True))
                out.append(original[done:start])
                written += start - done
            pieces.append(Piece(start, end, written, written + len(replacement), False))
            out.append(replacement)
            written += len(replacement)
            done = end
        if not pieces:
            return cls(original, original)
        if done < len(original):
            pieces.append(Piece(done, len(original), written, written + len(original) - done, True))
            out.append(original[done:])
        return cls(original, "".join(out), tuple(pieces))

    def followed_by(self, other: Rewritten) -> Rewritten:
        """This rewriting, then `other` (made from this one's text)."""
        if self.then is not None:
            return Rewritten(self.original, other.text, self.pieces, self.then.followed_by(other))
        return Rewritten(self.original, other.text, self.pieces, other)

    def start(self, position: int) -> int:
        """Where a selection starting at `position` of the original starts in the text."""
        moved = self._move(position, at_start=True)
        return self.then.start(moved) if self.then is not None else moved

    def end(self, position: int) -> int:
        """Where a selection ending at `position` of the original ends in the text."""
        moved = self._move(position, at_start=False)
        return self.then.end(moved) if self.then is not None else moved

    @cached_property
    def _starts(self) -> list[int]:
        return [piece.old_start for piece in self.pieces]

    def _move(self, position: int, *, at_start: bool) -> int:
        if not self.pieces:
            return position
        if at_start and position >= len(self.original):
            return len(self.text)
        if not at_start and position <= 0:
            return 0
        # The piece holding the character at `position` (a start), or the character before
        # it (an end): the last piece beginning at or before that character.
        char = position if at_start else position - 1
        piece = self.pieces[max(bisect.bisect_right(self._starts, char) - 1, 0)]
        if piece.kept:
            return piece.new_start + min(
                position - piece.old_start, piece.old_end - piece.old_start
            )
        return piece.new_start if at_start else piece.new_end


def without_xml_illegal(text: str) -> Rewritten:
    return Rewritten.of(text, ((m.start(), m.end(), "") for m in NOT_XML.finditer(text)))


def pseudonymised(text: str, hide: Pseudonyms) -> Rewritten:
    """The text as `hide.text` writes it (participants named by pseudonyms), with where each
    position went: emails first, then names, as `Pseudonyms.text` replaces them."""
    if not hide.on or not text:
        return Rewritten(text, text)
    emails: list[tuple[int, int, str]] = []
    if "@" in text and hide.emails:
        for match in EMAIL.finditer(text):
            label = hide.emails.get(match.group().casefold())
            if label is not None:
                emails.append((match.start(), match.end(), label))
    first = Rewritten.of(text, emails)
    rewritten = first.followed_by(Rewritten.of(first.text, list(hide.names.spans(first.text))))
    written = hide.text(text)
    if rewritten.text == written:
        return rewritten
    # Replaced some other way than this reading of it: the text as `hide` writes it, each
    # position placed by the differences between the two.
    return _by_differences(text, written)


def _by_differences(text: str, written: str) -> Rewritten:
    matcher = difflib.SequenceMatcher(None, text, written, autojunk=False)
    edits = [
        (i1, i2, written[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
    return Rewritten.of(text, edits)


def cleaned(text: str, hide: Pseudonyms) -> Rewritten:
    """A text as a project holds it: XML-safe, and participants named as `hide` says."""
    safe = without_xml_illegal(text)
    return safe.followed_by(pseudonymised(safe.text, hide))


def loose(words: str) -> re.Pattern[str] | None:
    """The words as a pattern that any whitespace may separate; None for no words."""
    parts = words.split()
    return re.compile(r"\s+".join(re.escape(part) for part in parts)) if parts else None


def nearest(matches: Sequence[tuple[int, int]], around: float) -> tuple[int, int] | None:
    """Of `matches` (start, end), the one starting nearest `around`."""
    return min(matches, key=lambda found: abs(found[0] - around)) if matches else None
