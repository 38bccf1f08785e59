"""The participant directory as CSV, written row by row so big directories stream out.

`core.spreadsheets.csv_stream` writes it: UTF-8 with a byte-order mark, formulas neutralised.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from heard.accounts.models import Workspace
from heard.participants.csv_headers import (
    ADDED_ON,
    FIELD_LABELS,
    PROFILE_PREFIX,
    STANDARD_FIELDS,
)
from heard.participants.models import Participant
from heard.participants.profile import ProfileKey, display_value, label_for_key, plain_words
from heard.participants.services import profile_keys

CHUNK = 2000


def export_filename(workspace: Workspace, today: datetime.date) -> str:
    return f"heard-participants-{workspace.slug}-{today.isoformat()}.csv"


def profile_columns(workspace: Workspace, people: QuerySet[Participant]) -> list[ProfileKey]:
    """Keys the guides define, in their order and with their labels, then any other key a
    participant has, labelled in words."""
    keys = profile_keys(workspace)
    seen = {item.key for item in keys}
    others: set[str] = set()
    for profile in people.values_list("profile", flat=True).iterator(chunk_size=CHUNK):
        others.update(key for key in (profile or {}) if key not in seen)
    return keys + [ProfileKey(key, label_for_key(key)) for key in sorted(others)]


def headers(columns: list[ProfileKey]) -> list[str]:
    """The header row, in words: the fields' labels, and each profile field's label (the
    import reads them back). A label that another column already has gives way to the key
    in words, then to the key itself (`profile:key`), so that no two columns read alike."""
    names = [FIELD_LABELS[name] for name in STANDARD_FIELDS]
    taken = {plain_words(name) for name in (*names, ADDED_ON)}
    for column in columns:
        for name in (column.label, label_for_key(column.key), f"{PROFILE_PREFIX}{column.key}"):
            if plain_words(name) not in taken:
                break
        taken.add(plain_words(name))
        names.append(name)
    return [*names, ADDED_ON]


def rows(workspace: Workspace, people: QuerySet[Participant]) -> Iterator[list[str]]:
    """The header, then one row per participant, values as stored."""
    columns = profile_columns(workspace, people)
    yield headers(columns)
    fields = (*STANDARD_FIELDS, "profile", "created_at")
    ordered = people.order_by("name", "id").values_list(*fields)
    for *values, profile, created_at in ordered.iterator(chunk_size=CHUNK):
        profile = profile or {}
        yield [
            *values,
            *(display_value(profile.get(column.key)) for column in columns),
            created_at.date().isoformat(),
        ]
