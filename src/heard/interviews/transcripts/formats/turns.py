"""Transcripts as text, turn by turn: what Meet, Otter, Tactiq, Zoom and Rev write to .txt,
.md and Word files, and what Heard writes as txt. One reader for all their ways of saying
who speaks when:

    Ana: text                    **Ana:** text           Ana  1:02:03   (text below)
    [Ana] 10:02:03  (text below) 10:02:03 Ana: text      Ana (01:02):   text
    [00:01:02] Ana: text         00:05:00   (a time on its own line, for the next turn)

A line that is none of these continues the turn above it. What comes before the first turn
(a title, the attendees, a notice) is left out, as are Markdown headings and sections such
as "Attendees".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from heard.interviews.transcripts.formats.base import Reading
from heard.interviews.transcripts.formats.text import TIME, is_label, parse_time, split_label

_NAME = r"[^\]\[:*]{1,48}?"
ZOOM_HEADER = re.compile(rf"\[(?P<name>{_NAME})\]\s+(?P<time>{TIME})")
TIME_TURN = re.compile(
    rf"(?P<open>\[?)(?P<time>{TIME})\]?\s+(?:From\s+)?(?P<name>{_NAME})"
    rf"(?:\s+to\s+{_NAME})?\s*:\s*(?P<text>.*)"
)
TIME_TEXT = re.compile(rf"\[(?P<time>{TIME})\]\s+(?P<text>.+)")
HEADER = re.compile(rf"(?P<name>{_NAME})(?:\s{{2,}}|\t+)(?P<time>{TIME})")
REV_TURN = re.compile(
    rf"(?P<name>[^(\[]{{1,48}}?)\s*[(\[](?P<time>{TIME})[)\]]\s*:?\s*(?P<text>.*)"
)
TIME_ONLY = re.compile(rf"\[?(?P<time>{TIME})\]?")
MARKDOWN_TURN = re.compile(
    r"\*\*(?P<name>[^*]{1,60}?):\*\*\s*(?P<text>.*)|\*\*(?P<name2>[^*]{1,60}?)\*\*\s*:\s*(?P<text2>.*)"
)
LONE_LABEL = re.compile(rf"(?P<name>{_NAME}):")
# A line the tool adds that nobody said: a notice in bold, "Transcribed by https://otter.ai".
NOTICE = re.compile(
    r"(\*\*|__).*(\*\*|__)|(?:transcribed|generated|powered) by .{0,40}(?:https?://\S+|\w+\.ai|\w+\.io)",
    re.IGNORECASE,
)
HEADING = re.compile(r"#{1,6}\s+(?P<title>.*)")
_LEADING_TIME = re.compile(rf"(?P<time>{TIME})\s+(?P<name>.+)")
_OUTSIDE = re.compile(r"attendees|participants|agenda|action items|summary|notes", re.I)


@dataclass
class Turn:
    """What one line says: a speaker and a time starting a turn, a time for the next turn,
    or text."""

    kind: str  # "turn", "time", "text", "heading", "skip"
    speaker: str = ""
    time: float | None = None
    text: str = ""
    bracketed: bool = False


def classify(line: str) -> Turn:
    """What a (stripped, non-blank) line of a text transcript is."""
    if match := HEADING.fullmatch(line):
        return Turn("heading", text=match["title"])
    if match := MARKDOWN_TURN.fullmatch(line):
        name = (match["name"] or match["name2"]).strip()
        text = match["text"] if match["name"] else match["text2"]
        time = None
        if leading := _LEADING_TIME.fullmatch(name):
            time, name = parse_time(leading["time"]), leading["name"]
        if is_label(name):
            return Turn("turn", name, time, text.replace("**", "").strip())
    if NOTICE.fullmatch(line):
        return Turn("skip")
    if match := ZOOM_HEADER.fullmatch(line):
        return Turn("turn", match["name"].strip(), parse_time(match["time"]))
    if (match := TIME_TURN.fullmatch(line)) and is_label(match["name"]):
        time = parse_time(match["time"])
        return Turn("turn", match["name"].strip(), time, match["text"], bool(match["open"]))
    if match := TIME_TEXT.fullmatch(line):
        return Turn("turn", "", parse_time(match["time"]), match["text"], bracketed=True)
    if match := TIME_ONLY.fullmatch(line):
        return Turn("time", time=parse_time(match["time"]))
    if (match := HEADER.fullmatch(line)) and is_label(match["name"]):
        return Turn("turn", match["name"].strip(), parse_time(match["time"]))
    if (match := REV_TURN.fullmatch(line)) and is_label(match["name"]):
        return Turn("turn", match["name"].strip(), parse_time(match["time"]), match["text"])
    if split := split_label(line):
        return Turn("turn", split[0], None, split[1])
    if (match := LONE_LABEL.fullmatch(line)) and is_label(match["name"]):
        return Turn("turn", match["name"].strip())
    return Turn("text", text=line)


@dataclass
class _Open:
    line: int
    speaker: str
    start: float | None
    lines: list[str] = field(default_factory=list)


def read_turns(reading: Reading, lines: Iterable[tuple[int, str]], unit: str = "Line") -> None:
    """Add the turns of (number, line) pairs to `reading`; warnings name a line by `unit`
    and its number ("Paragraph 12" in a Word file)."""
    current: _Open | None = None
    pending_time: float | None = None
    outside = False  # under a heading such as "Attendees"
    before_first = after_last = 0
    first_skipped = 0

    def close() -> None:
        if current is not None:
            where = f"{unit} {current.line} ({current.speaker or 'no speaker'})"
            reading.add("\n".join(current.lines), current.start, None, current.speaker, where=where)

    for number, raw in lines:
        line = raw.strip()
        if not line:
            continue
        turn = classify(line)
        if turn.kind == "heading":
            close()
            current = None
            outside = bool(_OUTSIDE.match(turn.text))
            continue
        if turn.kind == "skip" or (outside and turn.kind != "turn"):
            continue
        outside = False
        if turn.kind == "time":
            pending_time = turn.time
        elif turn.kind == "turn":
            close()
            start = turn.time if turn.time is not None else pending_time
            pending_time = None
            current = _Open(number, turn.speaker, start, [turn.text] if turn.text else [])
        elif current is not None:
            current.lines.append(turn.text)
        elif reading.document.segments:
            after_last += 1
            first_skipped = first_skipped or number
        else:
            before_first += 1
    close()
    if before_first >= 10:
        reading.warn(f"Skipped the first {before_first} lines, before the first speaker's turn.")
    if after_last:
        reading.warn(
            f"Skipped {after_last} line(s) that belong to no speaker's turn "
            f"(the first: {unit.lower()} {first_skipped})."
        )


def score(text: str | None, kinds: Iterable[str]) -> tuple[int, int]:
    """(lines of the kinds given, lines with text) in the first 400 lines of a text file;
    a kind is a pattern's name: "markdown", "zoom", "clock", "bracketed", "header", "rev",
    "label"."""
    if text is None:
        return 0, 0
    wanted = set(kinds)
    found = total = 0
    for raw in text.split("\n", 400)[:400]:
        line = raw.strip()
        if not line:
            continue
        total += 1
        found += bool(wanted & kinds_of(line))
    return found, total


def kinds_of(line: str) -> set[str]:
    kinds = set()
    if MARKDOWN_TURN.fullmatch(line):
        kinds.add("markdown")
    if ZOOM_HEADER.fullmatch(line):
        kinds.add("zoom")
    if (match := TIME_TURN.fullmatch(line)) and is_label(match["name"]):
        kinds.add("bracketed" if match["open"] else "clock")
    if TIME_TEXT.fullmatch(line):
        kinds.add("bracketed")
    if (match := HEADER.fullmatch(line)) and is_label(match["name"]):
        kinds.add("header")
    if (match := REV_TURN.fullmatch(line)) and is_label(match["name"]):
        kinds.add("rev")
    if split_label(line):
        kinds.add("label")
    return kinds
