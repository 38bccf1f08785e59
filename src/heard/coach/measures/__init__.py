"""The coach's measures: each reads a `Call` and gives one part of the report, its figures,
what it observed (each at its moment) and what it could not measure, and why.

The wording is factual and kind: what happened and what the method aims for, never a grade.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from statistics import median
from typing import Any

from heard.coach.call import Call, Line, NoteSeen, Side
from heard.interviews.models import minutes_label


class Tone(StrEnum):
    WELL = "well"  # what went as the method asks
    IMPROVE = "improve"  # what to do differently
    NOTE = "note"  # a plain fact


@dataclass(frozen=True)
class Standards:
    """What the method aims for, in the numbers the measures compare with."""

    customer_share: float = 0.70  # the customer talks at least this share of the time
    monologue_s: int = 60  # the interviewer's longest stretch without the customer
    pause_s: float = 1.0  # the pause left after an answer before speaking
    intro_s: int = 120  # each person's intro
    section_over: float = 1.5  # a section past this many times its planned minutes…
    section_over_min: int = 3  # …and by at least this many minutes


@dataclass(frozen=True)
class Moment:
    """Where an observation happened: on the recording (it plays), else the note it rests on."""

    at_ms: int | None = None
    call_s: int | None = None
    segment_id: int | None = None
    note_id: str | None = None

    @property
    def label(self) -> str:
        if self.at_ms is not None:
            return minutes_label(self.at_ms / 1000)
        if self.call_s is not None:
            return minutes_label(self.call_s)
        return ""


@dataclass(frozen=True)
class Observation:
    key: str  # the rule that made it, e.g. "talk.share"
    text: str
    tone: Tone = Tone.NOTE
    moment: Moment | None = None
    quote: str = ""  # the words it is about, as said or noted


@dataclass
class Part:
    key: str
    title: str
    figures: dict[str, Any] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)
    unmeasured: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def at_line(call: Call, line: Line) -> Moment:
    return Moment(
        at_ms=line.start_ms, call_s=call.call_s(line.start_ms), segment_id=line.segment_id
    )


def at_note(call: Call, note: NoteSeen) -> Moment:
    """A note's moment: on the recording where it covers the note's time, else the note
    itself (the page plays a moment from two seconds before it)."""
    if call.playable and call.lines and note.at_s >= call.offset_s:
        return Moment(at_ms=call.recording_ms(note.at_s), call_s=note.at_s, note_id=note.id)
    return Moment(call_s=note.at_s, note_id=note.id)


def percent(share: float) -> str:
    return f"{round(share * 100)} %"


def duration_words(seconds: float) -> str:
    """ "45 s", "3 min 20 s", "1 h 05 min": for figures in sentences."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02} min"


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined: speech of one side counted once."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def spoken_ms(lines: list[Line], side: Side, within: tuple[int, int] | None = None) -> int:
    spans = [(line.start_ms, line.end_ms) for line in lines if line.side == side]
    total = 0
    for start, end in merged(spans):
        if within is not None:
            start, end = max(start, within[0]), min(end, within[1])
        total += max(0, end - start)
    return total


# Counts per hour from a recording shorter than this would say more of its length than of the
# interviewer.
RATE_FROM_MINUTES = 10

BACKCHANNEL_MS = 1500
BACKCHANNEL_WORDS = 3


def is_backchannel(line: Line) -> bool:
    """ "Mm-hmm", "right", "okay": a listener's sign, not a turn of their own."""
    return line.duration_ms <= BACKCHANNEL_MS and len(line.text.split()) <= BACKCHANNEL_WORDS


def turns(lines: list[Line], side: Side) -> list[list[Line]]:
    """The stretches where `side` holds the floor: its lines one after another, until
    someone of another side says more than a listener's sign, or answers a question (a
    short "I guess so." after a question is an answer, not a sign)."""
    found: list[list[Line]] = []
    current: list[Line] = []
    for line in sorted(lines, key=lambda line: (line.start_ms, line.end_ms)):
        if line.side == side:
            current.append(line)
        elif current and (not is_backchannel(line) or asks(current[-1])):
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def asks(line: Line) -> bool:
    return line.text.rstrip().endswith(("?", "\uff1f"))


def middle(values: list[float]) -> float | None:
    return median(values) if values else None
