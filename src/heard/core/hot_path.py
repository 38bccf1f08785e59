"""Writes on a hot path (the live call's API, a save several times a second per call) ask the
parts of Heard that follow every write to put their own work off until just after the commit,
where they can do many writes' worth at once (search: `search.backlog`).

The interviews app marks the path; the later apps read the mark: neither imports the other.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_hot: ContextVar[bool] = ContextVar("heard_hot_path", default=False)


@contextlib.contextmanager
def hot_path() -> Iterator[None]:
    """Within it, followers of a write may batch their work after the commit."""
    token = _hot.set(True)
    try:
        yield
    finally:
        _hot.reset(token)


def on_hot_path() -> bool:
    return _hot.get()
