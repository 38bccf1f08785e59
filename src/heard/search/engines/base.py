from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from heard.search.models import Entry
from heard.search.query import Query


class Engine:
    """A database's full-text search over `Entry.text`."""

    name = ""

    def match(
        self, entries: QuerySet[Entry], query: Query, languages: Collection[str]
    ) -> QuerySet[Entry]:
        """The entries that have every group of the query's words and none of its excluded
        ones, with a `score` (higher is more relevant). `languages`: the languages the
        entries may be in (PostgreSQL stems each its own way)."""
        raise NotImplementedError
