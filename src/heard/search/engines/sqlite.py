"""SQLite: an FTS5 table over `search_entry.text` and `search_entry.scope` (external content,
kept in step by the triggers of the app's first migration), Porter's stemmer, accents folded,
ranked by BM25.

The filters are Django's (`QuerySet`), compiled to SQL, and the full-text table is put in
front of them with a CROSS JOIN, which SQLite never reorders: the index finds the matches
and each is looked up by its id. Left to choose, SQLite's planner may walk the entries of a
workspace or a study by their own index and ask the full-text index about each one, which on
a million lines takes seconds.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet

from heard.search.engines.base import Engine, Row, Sampled, scope_groups
from heard.search.models import Entry
from heard.search.query import Query, Term

FTS = '"search_entry_fts"'
MERGE_PAGES = 2000  # pages of the index merged in one step of tidying (8 MB)
ENTRY = '"search_entry"'
# An entry's time as its stored text (ISO 8601 in UTC, which sorts as the times do): read as
# text, no row's time is parsed in Python.
AT = '("search_entry"."at" || \'\')'
# What Django's SQL for the ids of some entries begins with: their table and no other.
HEAD = re.compile(r'^SELECT "search_entry"\."id"(?: AS "id")? FROM "search_entry"(?= |$)')


def term_sql(term: Term) -> str:
    """A term as an FTS5 string: its words (letters and digits only, so nothing in them is
    FTS5 syntax) in one quoted phrase, `*` after it for a prefix."""
    return f'"{" ".join(term.words)}"' + ("*" if term.prefix else "")


def any_of(terms: list[Term]) -> str:
    return "(" + " OR ".join(term_sql(term) for term in terms) + ")"


def text_expression(query: Query) -> str:
    """The words to find in the text: every group, then NOT each excluded term."""
    found = " AND ".join(any_of(group) for group in query.groups)
    if query.excluded:
        found = f"({found}) NOT {any_of(query.excluded)}"
    return f"text : ({found})"


def expression(query: Query, scope: str) -> str:
    """The FTS5 query: the scope's words in their column, if any, and the text's."""
    groups = scope_groups(scope)
    if not groups:
        return text_expression(query)
    within = " AND ".join("(" + " OR ".join(f'"{w}"' for w in group) + ")" for group in groups)
    return f"scope : ({within}) AND {text_expression(query)}"


class SQLite(Engine):
    name = "sqlite"

    def _select(
        self, entries: QuerySet[Entry], match: str | None, kind: bool = False
    ) -> tuple[str, list[Any]] | None:
        """`SELECT id, score, at` (with `kind`, `id, kind, score, at`) of the entries the
        filters keep and `match` finds, the full-text table first; with no `match` (only
        excluded words, or only filters), the entries without the excluded words. None when the
        filters keep nothing (`kind:` of no kind)."""
        try:
            sql, params = entries.order_by().values_list("id").query.sql_with_params()
        except EmptyResultSet:
            return None
        head = HEAD.match(sql)
        if head is None:  # pragma: no cover - Django's SQL changed shape
            raise AssertionError(sql)
        rest = sql[head.end() :]
        columns = f'{ENTRY}."id", {ENTRY}."kind"' if kind else f'{ENTRY}."id"'
        if match is None:
            return f"SELECT {columns}, 0.0, {AT} FROM {ENTRY}{rest}", list(params)  # noqa: S608 - constant SQL and Django's, every value a parameter
        joined = (
            f"SELECT {columns}, -bm25({FTS}, 1.0, 0.0), {AT} "  # noqa: S608 - constant SQL and Django's, every value a parameter
            f'FROM {FTS} CROSS JOIN {ENTRY} ON {ENTRY}."id" = {FTS}."rowid"'
        )
        if " WHERE " not in rest:
            return f"{joined}{rest} WHERE {FTS} MATCH %s", [*params, match]
        before, after = rest.split(" WHERE ", 1)
        at = before.count("%s")  # the joins' own parameters come first
        return (
            f"{joined}{before} WHERE {FTS} MATCH %s AND {after}",
            [*params[:at], match, *params[at:]],
        )

    def _narrowed(self, entries: QuerySet[Entry], query: Query) -> QuerySet[Entry]:
        if query.excluded and not query.has_words:
            return entries.extra(  # noqa: S610 - constant SQL, the words a parameter
                where=[f"{ENTRY}.id NOT IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"],  # noqa: S608 - constant SQL and Django's, every value a parameter
                params=[f"text : {any_of(query.excluded)}"],
            )
        return entries

    def _rows(self, sql: str, params: list[Any]) -> list[Row]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(row[0], row[1], row[2]) for row in cursor.fetchall()]

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
        match = expression(query, scope) if query.has_words else None
        selected = self._select(self._narrowed(entries, query), match, kind=True)
        if selected is None:
            return []
        sql, params = selected
        # Newest first, whether asked or not: the index reads its lists backwards as cheaply.
        order = f'{FTS}."rowid"' if match is not None else f'{ENTRY}."id"'
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY {order} DESC LIMIT %s", [*params, limit])
            return [(row[0], row[1], row[2], row[3]) for row in cursor.fetchall()]

    def tidy(self, *, whole: bool = False) -> None:
        # FTS5 keeps its index as segments merged as they grow; a term whose list spreads
        # over many segments is merged again on every search (tens of ms for a common word on
        # a million lines, against a tenth of a ms in one segment). `optimize` merges all;
        # `merge` with a negative number does the same a few thousand pages at a time.
        with connection.cursor() as cursor:
            if whole:
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")  # noqa: S608 - constant SQL
                return
            while True:
                before = connection.connection.total_changes
                with transaction.atomic():
                    merge = f"INSERT INTO {FTS}({FTS}, rank) VALUES ('merge', -%s)"  # noqa: S608 - constant SQL
                    cursor.execute(merge, [MERGE_PAGES])
                if connection.connection.total_changes - before <= 1:
                    return

    def count(
        self,
        entries: QuerySet[Entry],
        query: Query,
        languages: Collection[str],
        scope: str,
        cap: int,
    ) -> int:
        match = expression(query, scope) if query.has_words else None
        selected = self._select(self._narrowed(entries, query), match)
        if selected is None:
            return 0
        sql, params = selected
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT %s)", [*params, cap])  # noqa: S608 - constant SQL and Django's, every value a parameter
            return int(cursor.fetchone()[0])

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
        match = expression(query, scope) if query.has_words else None
        selected = self._select(self._narrowed(entries, query), match)
        if selected is None:
            return []
        sql, params = selected
        order = "3 DESC, 1 DESC" if newest or match is None else "2 DESC, 3 DESC, 1 DESC"
        return self._rows(f"{sql} ORDER BY {order} LIMIT %s OFFSET %s", [*params, limit, offset])

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
        # Those indexed last: the index reads a word's list backwards as cheaply.
        match = expression(query, scope) if query.has_words else None
        selected = self._select(self._narrowed(entries, query), match)
        if selected is None:
            return []
        sql, params = selected
        order = f'{FTS}."rowid"' if match is not None else f'{ENTRY}."id"'
        return self._rows(f"{sql} ORDER BY {order} DESC LIMIT %s", [*params, limit])
