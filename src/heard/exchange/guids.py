"""The GUIDs of what Heard writes into a REFI-QDA project: derived from the things themselves,
so that exporting the same study again gives every source, code, case and selection the GUID
it had, and an import recognises what Heard wrote.

Each GUID is a UUID of version 5 (a hash) of the workspace's own namespace and the thing's
kind and key ("point:12"). The workspace's namespace is made from its id and the moment it was
created, so two installations of Heard never give different things the same GUID.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from heard.accounts.models import Workspace

# Heard's namespace for REFI-QDA GUIDs: uuid5(NAMESPACE_URL, "https://heard.example/refi-qda").
HEARD = uuid.UUID("2a524be4-127d-5685-b71d-f225e761d4ed")


class Thing(StrEnum):
    """The kinds of thing a GUID names."""

    PROJECT = "study"
    TRANSCRIPT = "transcript"
    NOTES = "notes"  # an interview's notes of the call, as one text source
    POINT = "point"
    NOTE_KINDS = "note-kinds"  # the parent of the note kinds' codes
    NOTE_KIND = "note-kind"
    OTHER_CODES = "other-codes"  # the parent of codes kept from other tools
    HIGHLIGHT = "highlight"
    NOTE = "note"  # a note of the call, coded in its interview's notes
    QUOTE = "quote"
    CASE = "participant"
    VARIABLE = "variable"
    USER = "user"
    CODING = "coding"


class Guids:
    """The GUIDs of one workspace's things."""

    def __init__(self, workspace: Workspace) -> None:
        created = int(workspace.created_at.timestamp() * 1_000_000)
        self.namespace = uuid.uuid5(HEARD, f"workspace:{workspace.pk}:{created}")

    def of(self, thing: Thing, key: object) -> str:
        return str(uuid.uuid5(self.namespace, f"{thing.value}:{key}"))

    def coding(self, selection: str, code: str) -> str:
        return self.of(Thing.CODING, f"{selection}:{code}")


def plain(guid: str) -> str:
    """A GUID as REFI-QDA allows it written (braces, any case), compared as Heard writes it."""
    return guid.strip().strip("{}").lower()
