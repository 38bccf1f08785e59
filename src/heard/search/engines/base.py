from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet

from heard.search.models import Entry
from heard.search.query import Query

# A result as the engines answer it: the entry's id, its score (higher is more relevant),
# and its time (`Entry.at`, or a text that sorts as it does), which newest first sorts by.
Row = tuple[int, float, Any]
# A result of a sample: the entry's id, its kind, its score and its time.
Sampled = tuple[int, str, float, Any]


class Engine:
    """A database's full-text search over `Entry.text`.

    Each method takes `entries`, the entries the filters keep (a queryset of the workspace's
    entries, perhaps of one kind); `query`, whose words they must have and whose excluded
    words they must not; `languages`, the languages they may be in (PostgreSQL stems each its
    own way); and `scope`, words of `Entry.scope` every entry found has, which the
    full-text index narrows to by itself: groups separated by spaces, each of alternatives
    separated by "|" ("kfinding s3|s7": a finding of study 3 or 7), or "" for no narrowing. A
    kind's word is worth asking for where the kind is rare among the matches (a finding with a
    common word); among a common kind it costs more than the filter on `Entry.kind` does.
    """

    name = ""

    def sample(
        self,
        entries: QuerySet[Entry],
        query: Query,
        languages: Collection[str],
        scope: str,
        limit: int,
        *,
        newest: bool,
    ) -> list[Sampled]:
        """Up to `limit` matching entries of every kind, with their kinds and scores: all of
        them when there are fewer. Of more, the newest (by when they were indexed) where
        `newest` is asked for, else those the database reads first, the newest where it
        costs nothing more (SQLite)."""
        raise NotImplementedError

    def tidy(self, *, whole: bool = False) -> None:
        """Put the index in order after many writes, a step at a time (each step a short
        transaction, so writers wait little), or `whole` at once (after a rebuild)."""
        raise NotImplementedError

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

    def some(
        self,
        entries: QuerySet[Entry],
        query: Query,
        languages: Collection[str],
        scope: str,
        limit: int,
        *,
        newest: bool,
    ) -> list[Row]:
        """`limit` of the matching entries, for ranking a very common word among them rather
        than among all: those indexed last where that costs nothing more (SQLite) or where
        `newest` is asked for, else those the database reads first (PostgreSQL)."""
        raise NotImplementedError

    def some_of_each(
        self,
        entries: QuerySet[Entry],
        kinds: list[tuple[str, str]],
        query: Query,
        languages: Collection[str],
        limit: int,
        *,
        newest: bool,
    ) -> list[list[Row]]:
        """`some` of the entries of each kind, searched with its scope (pairs of a kind and a
        scope), in one statement where the database takes one."""
        return [
            self.some(entries.filter(kind=kind), query, languages, scope, limit, newest=newest)
            for kind, scope in kinds
        ]


def scope_groups(scope: str) -> list[list[str]]:
    """The groups of a scope ("kfinding s3|s7" → [["kfinding"], ["s3", "s7"]]), each word of
    letters, digits and underscores only (anything else is dropped: nothing of it reaches the
    database's query syntax)."""
    groups = []
    for group in scope.split():
        words = [word for word in group.split("|") if word.replace("_", "").isalnum()]
        if words:
            groups.append(words)
    return groups
