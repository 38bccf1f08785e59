from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from heard.search.models import Entry
from heard.search.query import Query


class Engine:
    """A database's full-text search over `Entry.text`."""

    name = ""

    def match(
        self, entries: QuerySet[Entry], query: Query, languages: Collection[str], scope: str
    ) -> QuerySet[Entry]:
        """The entries that have every group of the query's words and none of its excluded
        ones, with a `score` (higher is more relevant). `languages`: the languages the
        entries may be in (PostgreSQL stems each its own way); `scope`: words of
        `Entry.scope` every entry found has (its workspace, and its kind where one is asked
        for), which the full-text index narrows to itself."""
        raise NotImplementedError
