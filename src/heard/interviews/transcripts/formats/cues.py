"""Caption files (WebVTT, SubRip, SBV): blocks of a timing line and the text shown at that
time. One splitter for all three, forgiving what tools get wrong: a missing blank line
between cues, several blank lines, a cue number or none."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Cue:
    number: int  # in file order, from 1
    line: int  # the line of its timing, from 1
    timing: str  # the timing line as written
    start: str
    end: str
    lines: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"Cue {self.number} (line {self.line})"


@dataclass
class Stray:
    """Lines outside any cue that are not a block the format allows there."""

    line: int
    text: str


def split_cues(
    lines: Iterable[tuple[int, str]],
    timing: re.Pattern[str],
    *,
    skipped_blocks: tuple[str, ...] = (),
    numbered: bool = False,
    identified: bool = True,
) -> tuple[list[Cue], list[Stray]]:
    """The cues of (line number, line) pairs, and the stray lines between them.

    A line that `timing` matches whole (groups `start`, `end`) starts a cue, wherever it is;
    the cue's text runs to the next blank line. Before a timing line, the last line of a
    block is the cue's identifier; with `numbered` (SubRip) only a number is, and a number
    right above a timing line inside a cue's text is one too (a format without identifiers, SBV, says
    `identified=False`). A block whose first word is one of
    `skipped_blocks` (WebVTT's NOTE, STYLE, REGION) is left out.
    """
    cues: list[Cue] = []
    strays: list[Stray] = []
    block: list[tuple[int, str]] = []
    cue: Cue | None = None

    def close_block() -> None:
        if block and block[0][1].split(maxsplit=1)[0] not in skipped_blocks:
            strays.extend(Stray(number, text) for number, text in block)
        block.clear()

    for number, raw in lines:
        line = raw.strip()
        match = timing.fullmatch(line)
        if match:
            if cue is not None and numbered and cue.lines and cue.lines[-1].strip().isdigit():
                cue.lines.pop()  # the next cue's number, with no blank line before it
            if block and identified and (not numbered or block[-1][1].strip().isdigit()):
                block.pop()  # the cue's identifier
                close_block()
            cue = Cue(len(cues) + 1, number, line, match["start"], match["end"])
            cues.append(cue)
        elif not line:
            if cue is not None:
                cue = None
            else:
                close_block()
        elif cue is not None:
            cue.lines.append(raw)
        else:
            block.append((number, raw))
    close_block()
    return cues, strays
