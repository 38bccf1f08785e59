"""Text in files from other tools: the one place that decides how bytes become text, what a
time looks like, and what a speaker's label looks like."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters no text file holds (tab, line feed, form feed and carriage return aside).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str | None:
    """The text of a file with its line endings made `\\n`, or None when it is not text.

    A byte-order mark names the encoding; without one, UTF-8 if the bytes are UTF-8, UTF-16
    if every other byte is zero (a file saved as UTF-16 without its mark), else Windows-1252,
    which older Windows tools write. Text with control characters is not text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            break
    else:
        text = _without_bom(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    sample = text[:100_000]
    if sample and len(_CONTROL.findall(sample)) > len(sample) // 1000:
        return None
    return text


def _without_bom(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:4000]
    if len(head) >= 4:
        zeros_odd = head[1::2].count(0) / (len(head) // 2)
        zeros_even = head[0::2].count(0) / ((len(head) + 1) // 2)
        if zeros_odd > 0.4 and zeros_even < 0.1:
            return data[: len(data) // 2 * 2].decode("utf-16-le", errors="replace")
        if zeros_even > 0.4 and zeros_odd < 0.1:
            return data[: len(data) // 2 * 2].decode("utf-16-be", errors="replace")
    return data.decode("cp1252", errors="replace")


# A time as transcripts write it: `1:02:03`, `01:02:03.450`, `0:0:0.0`, `02:03,450`, `2:03`.
TIME = r"\d{1,3}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
_TIME = re.compile(TIME)


def parse_time(text: str) -> float | None:
    """Seconds for a time written as `TIME` says, or None when it is not one."""
    text = text.strip()
    if not _TIME.fullmatch(text):
        return None
    whole, _, fraction = text.replace(",", ".").partition(".")
    parts = [int(part) for part in whole.split(":")]
    if any(part > 59 for part in parts[1:]):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    # In milliseconds first: 1 + 0.481 is 1.4809999999999999, 1481 / 1000 is 1.481.
    return (seconds * 1000 + int(fraction.ljust(3, "0") or 0)) / 1000


# A speaker's label: a name or a role, a few words, no sentence in it.
_LABEL = re.compile(r"[^\s:*#>\[\]<][^:\[\]<>?!\"“”]{0,47}")
_PREFIXED = re.compile(r"(?P<name>[^:]{1,48}?)\s*:\s+(?P<text>\S.*)", re.DOTALL)
_NOT_NAMES = frozenset(
    {
        "note",
        "notes",
        "attendees",
        "participants",
        "agenda",
        "summary",
        "action items",
        "transcript",
        "date",
        "time",
        "title",
        "duration",
        "location",
        "http",
        "https",
    }
)


def is_label(name: str) -> bool:
    """Whether `name` reads as a speaker's label ("Dr. Ana Ruiz", "Speaker 2", "Interviewer")."""
    name = name.strip()
    return (
        bool(_LABEL.fullmatch(name))
        and len(name.split()) <= 6
        and not name.endswith(".")
        and not name.replace(" ", "").isdigit()
        and name.casefold() not in _NOT_NAMES
    )


def split_label(text: str) -> tuple[str, str] | None:
    """`("Ana", "Hello")` for `Ana: Hello`, or None when the text has no speaker's label."""
    match = _PREFIXED.fullmatch(text)
    if match and is_label(match["name"]):
        return match["name"].strip(), match["text"].strip()
    return None


def labelled(texts: list[str]) -> bool:
    """Whether a file's cues carry their speaker as `Name: text` (as Zoom's do): most of them
    do. A file where only a few cues hold a colon keeps their text whole."""
    return bool(texts) and sum(split_label(text) is not None for text in texts) * 2 >= len(texts)
