"""Background work of search: indexing a workspace that has things to find and no index yet
(a Heard upgraded from one without search, a database restored from before it)."""

from __future__ import annotations

from django.tasks import task

from heard.search import keeping


@task
def fill_missing() -> int:
    return keeping.fill_missing()
