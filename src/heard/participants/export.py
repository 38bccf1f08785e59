"""The participant directory as CSV, written row by row so big directories stream out.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one)
as a formula: such cells get a leading single quote, which shows the text as typed.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator

from django.db.models import QuerySet

from heard.accounts.models import Workspace
from heard.participants.csv_import import FIELD_LABELS, PROFILE_PREFIX, STANDARD_FIELDS
from heard.participants.models import Participant
from heard.participants.profile import display_value
from heard.participants.services import profile_keys

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CHUNK = 2000


def neutralise(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


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
    """The header, then one row per participant; values as stored, formulas neutralised."""
    keys = profile_columns(workspace, people)
    yield (
        [FIELD_LABELS[name] for name in STANDARD_FIELDS]
        + [f"{PROFILE_PREFIX}{key}" for key in keys]
        + ["Added on"]
    )
    for person in people.order_by("name", "id").iterator(chunk_size=CHUNK):
        profile = person.profile or {}
        yield [
            neutralise(value)
            for value in (
                *(getattr(person, name) for name in STANDARD_FIELDS),
                *(display_value(profile.get(key)) for key in keys),
                person.created_at.date().isoformat(),
            )
        ]


class _Echo:
    """A file-like object whose write() hands back what it was given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def stream(lines: Iterator[list[str]]) -> Iterator[str]:
    """CSV text, UTF-8 with a byte-order mark so that Excel reads accents and scripts right."""
    writer = csv.writer(_Echo())
    yield BOM
    for line in lines:
        yield writer.writerow(line)
