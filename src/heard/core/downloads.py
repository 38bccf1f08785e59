"""Files people download: names that keep their letters, and the header that carries them.

A file name keeps the letters and digits of every script
(`summary-2027-01-15-zoë-łukasiewicz.md`). The Content-Disposition header carries it as
RFC 6266 says: percent-encoded UTF-8 in `filename*`, which browsers read, with a plain ASCII
`filename` beside it for any program that reads only that one.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.utils.text import slugify

# Letters that Unicode does not decompose into an ASCII letter and a mark.
_ASCII_LETTERS = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Ħ": "H",
        "ħ": "h",
        "\u0131": "i",  # dotless i
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "Th",
        "þ": "th",
    }
)
# Marks and embeddings that reorder the text around them ("exe.mp3" shown for "3pm.exe").
_DIRECTION = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HYPHENS = re.compile(r"-{2,}")
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9._-]+")


def name_part(text: str, length: int = 40) -> str:
    """Text for a file name, as a slug that keeps the letters of every script: `Zoë
    Łukasiewicz` is `zoë-łukasiewicz`; punctuation, emoji, control and direction characters
    go, so nothing in it can point elsewhere or disguise an extension."""
    return slugify(text, allow_unicode=True)[:length].strip("-_")


def _plain(text: str) -> str:
    letters = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    plain = _NOT_PLAIN.sub("-", letters.encode("ascii", "ignore").decode())
    return _HYPHENS.sub("-", plain).strip("-.")


def ascii_name(filename: str) -> str:
    """The file name in ASCII, for programs that read nothing else: `zoë-łukasiewicz.md` is
    `zoe-lukasiewicz.md`; letters with no ASCII likeness are left out."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    stem = _plain(stem) or "download"
    return f"{stem}.{_plain(extension)}" if extension else stem


def attachment(filename: str) -> str:
    """The Content-Disposition of a download named `filename` (RFC 6266)."""
    fallback = ascii_name(filename)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def uploaded_name(name: str, fallback: str) -> str:
    """An uploaded file's own name, for people to read: whatever path a browser sent along
    with it goes (`../../x.mp3`, `C:\\calls\\x.mp3` are `x.mp3`), and so do control and
    direction characters; `fallback` when nothing is left. Never a path to store a file at."""
    text = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} or char in _DIRECTION else char
        for char in name.replace("\\", "/")
    )
    own = PurePosixPath(text).name.strip()[:255].strip()
    return own if own not in {"", ".", ".."} else fallback
