"""The customer profile: values kept per participant for the fields interview guides define.

Guides define profile fields (label and key); a participant keeps one value per key in
`Participant.profile`. A key that no guide defines any more keeps its value: it was typed
or imported by someone, and dropping it silently would lose what the team knew.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.text import slugify

PROFILE_VALUE_MAX_LENGTH = 500
KEY_MAX_LENGTH = 60


@dataclass(frozen=True)
class ProfileKey:
    """One distinct profile field of a workspace, as the first guide that defines it names it."""

    key: str
    label: str
    help_text: str = ""


# Letters that Unicode normalisation does not reduce to ASCII, spelled as people would.
_SPELLED_OUT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                              "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th"})  # fmt: skip


def ascii_slug(text: str) -> str:
    """`text` in lower-case ASCII letters, digits, `-` and `_`: `Prénom` -> `prenom`."""
    return slugify(text.translate(_SPELLED_OUT))


def key_from_header(header: str, index: int) -> str:
    """A profile key for a CSV column: `Company size` -> `company_size`, as guides spell keys."""
    key = ascii_slug(header).replace("-", "_").strip("_")[:KEY_MAX_LENGTH].strip("_")
    return key or f"column_{index + 1}"


def merge_profile(
    current: Mapping[str, object], defined_keys: Iterable[str], submitted: Mapping[str, str]
) -> dict[str, object]:
    """The profile after a form for `defined_keys` was sent: other keys stay as they were."""
    result = dict(current)
    for key in defined_keys:
        value = submitted.get(key, "").strip()
        if value:
            result[key] = value
        else:
            result.pop(key, None)
    return result


@dataclass(frozen=True)
class ProfileEntry:
    key: str
    label: str
    value: str


def split_profile(
    profile: Mapping[str, object], keys: Iterable[ProfileKey]
) -> tuple[list[ProfileEntry], list[ProfileEntry]]:
    """(fields guides define, with their values or ""; values of keys no guide defines now)."""
    defined = list(keys)
    known = {item.key for item in defined}
    asked = [
        ProfileEntry(item.key, item.label, display_value(profile.get(item.key))) for item in defined
    ]
    kept = [
        ProfileEntry(key, key, display_value(value))
        for key, value in sorted(profile.items())
        if key not in known and display_value(value)
    ]
    return asked, kept


def display_value(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)
