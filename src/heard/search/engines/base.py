from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet

from heard.search.models import Entry
from heard.search.query import Query

# A result as the engines answer it: the entry's id, its score (higher is more relevant),
# and its time (`Entry.at`), which the newest-first order sorts by.
Row = tuple[int, float, Any]


class Engine:
    """A database's full-text search over `Entry.text`.

    Each method takes `entries`, the entries the filters keep (a queryset of the workspace's
    entries, perhaps of one kind); `query`, whose words they must have and whose excluded
    words they must not; `languages`, the languages they may be in (PostgreSQL stems each its
    own way); and `scope`, words of `Entry.scope` every entry found has (its workspace, and its
    kind where one is asked for), which the full-text index narrows to by itself.
    """

    name = ""

    def count(
        self,
        entries: QuerySet[Entry],
        query: Query,
        languages: Collection[str],
        scope: str,
        cap: int,
    ) -> int:
        """How many entries match, counted up to `cap` (a count of `cap` means "or more")."""
        raise NotImplementedError

    def ranked(
        self,
        entries: QuerySet[Entry],
        query: Query,
        languages: Collection[str],
        scope: str,
        *,
        newest: bool,
        limit: int,
        offset: int = 0,
    ) -> list[Row]:
        """The matching entries in order, most relevant first (or newest first), a page of
        them."""
        raise NotImplementedError

    def last_indexed(
        self,
        entries: QuerySet[Entry],
        query: Query,
        languages: Collection[str],
        scope: str,
        limit: int,
    ) -> list[Row]:
        """The `limit` matching entries indexed last, for ranking a very common word among
        them rather than among all."""
        raise NotImplementedError
