"""Background work of search: indexing a workspace that has things to find and no index yet
(a Heard upgraded from one without search, a database restored from before it)."""

from __future__ import annotations

from django.tasks import task

from heard.search import keeping
from heard.search.engines import engine


@task
def fill_missing() -> int:
    return keeping.fill_missing()


@task
def tidy() -> None:
    """Put the full-text index in order after many writes (a transcript indexed)."""
    engine().tidy()
