"""What every resource shares: strict input schemas, absolute links."""

from __future__ import annotations

from django.conf import settings
from ninja import Schema
from pydantic import ConfigDict


class Input(Schema):
    """A request body: a field the API does not know is refused (422), never ignored."""

    model_config = ConfigDict(extra="forbid")


def link(path: str) -> str:
    """The page at `path`, as an absolute address where Heard knows its own."""
    base = str(getattr(settings, "HEARD_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"
