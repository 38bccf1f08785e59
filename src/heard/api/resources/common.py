"""What every resource shares: strict input schemas, absolute links."""

from __future__ import annotations

from typing import Annotated

from django.conf import settings
from ninja import Path
from pydantic import ConfigDict, Field

from heard.api.core import Checked

# The largest id a database column holds (a signed 64-bit integer): a larger one is refused
# with 422 before any query, rather than overflowing the driver.
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id in a query or a body."""

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""An id in the address."""


class Input(Checked):
    """A request body: a field the API does not know is refused (422), never ignored."""

    model_config = ConfigDict(extra="forbid")


def link(path: str) -> str:
    """The page at `path`, as an absolute address where Heard knows its own."""
    base = str(getattr(settings, "HEARD_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}"
