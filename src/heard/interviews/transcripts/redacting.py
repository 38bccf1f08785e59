"""Where a line's timed words stand in its text, and a new transcript of a recording kept
redacted where the recording's redactions are (`privacy/redaction.py` makes them): a line
read or transcribed again loses the words said in a silenced span."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from heard.interviews.models import REDACTED, Segment

# (the first character, the character after the last, the word's index in the line's words)
WordSpan = tuple[int, int, int]


def spans_in(text: str, words: Sequence[Sequence[Any]]) -> list[WordSpan] | None:
    """Where each timed word (`[start_ms, end_ms, text, probability]`) stands in `text`, in
    order; None when the words do not spell it."""
    cursor = 0
    found: list[WordSpan] = []
    for index, word in enumerate(words):
        token = " ".join(str(word[2]).split()) if len(word) > 2 else ""
        if not token:
            continue
        at = text.find(token, cursor)
        if at < 0:
            return None
        cursor = at + len(token)
        found.append((at, cursor, index))
    return found


def word_spans(line: Segment) -> list[WordSpan] | None:
    """Where the line's words stand in its text; None where it has no words or was edited
    since it was transcribed (its words spell what it said before)."""
    if not line.words or line.text != line.original_text:
        return None
    return spans_in(line.text, line.words)


def keep_redacted(line: Segment, silenced: Sequence[tuple[int, int]]) -> None:
    """Redact a new line of a recording in the spans it silences (ms): the words said in one
    are replaced by `REDACTED`, one for each run of them; a line that overlaps one and has
    no timed words to tell which is redacted whole."""
    if line.start_ms is None or line.end_ms is None:
        return
    spans = [(a, b) for a, b in silenced if a < line.end_ms and b > line.start_ms]
    if not spans:
        return
    placed = spans_in(line.text, line.words) if line.words else None
    if placed is None:
        line.text = line.original_text = REDACTED
        line.words = []
        return
    runs: list[list[int]] = []  # the words said in a span, in runs of words side by side
    within = False
    for _start, _end, i in placed:
        if _said_within(line.words[i], spans):
            if within:
                runs[-1].append(i)
            else:
                runs.append([i])
            within = True
        else:
            within = False
    if not runs:
        return
    where = {i: (start, end) for start, end, i in placed}
    for run in reversed(runs):
        first, last = line.words[run[0]], line.words[run[-1]]
        line.text = line.text[: where[run[0]][0]] + REDACTED + line.text[where[run[-1]][1] :]
        line.words = [
            *line.words[: run[0]],
            [first[0], last[1], REDACTED, None],
            *line.words[run[-1] + 1 :],
        ]
    line.original_text = line.text


def _said_within(word: Sequence[Any], spans: Sequence[tuple[int, int]]) -> bool:
    start, end = word[0], word[1]
    if start is None or end is None:
        return False
    return any(start < b and end > a for a, b in spans)
