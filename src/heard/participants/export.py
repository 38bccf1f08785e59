"""The participant directory as CSV, written row by row so big directories stream out.

`core.spreadsheets.csv_stream` writes it: UTF-8 with a byte-order mark, formulas neutralised.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from heard.accounts.models import Workspace
from heard.participants.csv_import import FIELD_LABELS, PROFILE_PREFIX, STANDARD_FIELDS
from heard.participants.models import Participant
from heard.participants.profile import display_value
from heard.participants.services import profile_keys

CHUNK = 2000


def export_filename(workspace: Workspace, today: datetime.date) -> str:
    return f"heard-participants-{workspace.slug}-{today.isoformat()}.csv"


def profile_columns(workspace: Workspace, people: QuerySet[Participant]) -> list[str]:
    """Keys the guides define, in their order, then any other key a participant has."""
    keys = [item.key for item in profile_keys(workspace)]
    seen = set(keys)
    others: set[str] = set()
    for profile in people.values_list("profile", flat=True).iterator(chunk_size=CHUNK):
        others.update(key for key in (profile or {}) if key not in seen)
    return keys + sorted(others)


def rows(workspace: Workspace, people: QuerySet[Participant]) -> Iterator[list[str]]:
    """The header, then one row per participant, values as stored."""
    keys = profile_columns(workspace, people)
    yield (
        [FIELD_LABELS[name] for name in STANDARD_FIELDS]
        + [f"{PROFILE_PREFIX}{key}" for key in keys]
        + ["Added on"]
    )
    for person in people.order_by("name", "id").iterator(chunk_size=CHUNK):
        profile = person.profile or {}
        yield [
            *(getattr(person, name) for name in STANDARD_FIELDS),
            *(display_value(profile.get(key)) for key in keys),
            person.created_at.date().isoformat(),
        ]
