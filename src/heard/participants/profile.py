"""The customer profile: values kept per participant for the fields interview guides define.

Guides define profile fields (label and key); a participant keeps one value per key in
`Participant.profile`. A key that no guide defines any more keeps its value: it was typed
or imported by someone, and dropping it silently would lose what the team knew.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.text import slugify

PROFILE_VALUE_MAX_LENGTH = 500
KEY_MAX_LENGTH = 60
# What a field that asks for the participant's role is called (as `plain_words` writes it):
# the participant's own role field holds the answer already.
ROLE_NAMES = frozenset(
    {"role", "title", "job title", "job", "position", "role or title", "job role"}
)


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


def plain_words(text: str) -> str:
    """Text as compared by its words: lower case, letters and digits of any script, the rest
    spaces ("Job-Title" and "job_title" read alike)."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def label_for_key(key: str) -> str:
    """A profile key in words, for a key no guide labels: `team_size` -> "Team size"
    (`key_from_header` reads it back as the same key)."""
    words = " ".join(key.replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else key


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
        ProfileEntry(key, label_for_key(key), display_value(value))
        for key, value in sorted(profile.items())
        if key not in known and display_value(value)
    ]
    return asked, kept


def display_value(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def asks_for_role(key: str, label: str) -> bool:
    """Whether a profile field asks for the participant's role or title."""
    return plain_words(key) in ROLE_NAMES or plain_words(label) in ROLE_NAMES


def role_once(role: str, *values: str) -> str:
    """The participant's role said once: their role, and what a field that asks for it holds
    where that says something more ("CTO" and "CTO, runs the data team" are the latter)."""
    said: list[str] = []
    for value in (role, *values):
        value = value.strip()
        if not value or any(plain_words(value) in plain_words(kept) for kept in said):
            continue
        said = [kept for kept in said if plain_words(kept) not in plain_words(value)] + [value]
    return " — ".join(said)


def fold_role(role: str, entries: Sequence[ProfileEntry]) -> tuple[str, list[ProfileEntry]]:
    """The participant's role said once, and the profile's other entries: a field that asks
    for the role joins the role instead of repeating it, and stays only while the role is
    unknown (to be asked)."""
    asking = [entry for entry in entries if asks_for_role(entry.key, entry.label)]
    said = role_once(role, *(entry.value for entry in asking))
    if not said:
        return "", list(entries)
    return said, [entry for entry in entries if entry not in asking]
