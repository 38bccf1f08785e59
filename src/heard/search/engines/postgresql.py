"""PostgreSQL: a `tsvector` column (`search_entry.document`, kept by a trigger from the text
in the entry's language's configuration) with a GIN index, queried with the `tsquery`
functions, ranked by `ts_rank` (normalised by length)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from heard.search import languages as langs
from heard.search.engines.base import Engine, Row, Sampled, scope_groups
from heard.search.models import Entry
from heard.search.query import Query, Term

SQL = tuple[str, list[str]]
# A result's time as the engine answers it: seconds since 1970, which sort as the times do and
# cost the driver nothing to read (thousands of time stamps with their zones are milliseconds).
MOMENT = "EXTRACT(EPOCH FROM search_entry.at)::float8"


def term_sql(term: Term, config: str) -> SQL:
    """A term as a tsquery: a phrase of its words, the last a prefix where asked. The words
    are letters and digits only; a prefix's lexeme is quoted all the same."""
    if not term.prefix:
        return "phraseto_tsquery(%s::regconfig, %s)", [config, " ".join(term.words)]
    last = f"'{term.words[-1]}':*"
    if len(term.words) == 1:
        return "to_tsquery(%s::regconfig, %s)", [config, last]
    return (
        "tsquery_phrase(phraseto_tsquery(%s::regconfig, %s), to_tsquery(%s::regconfig, %s))",
        [config, " ".join(term.words[:-1]), config, last],
    )


def any_of(terms: list[Term], config: str) -> SQL:
    parts = [term_sql(term, config) for term in terms]
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def tsquery(query: Query, config: str) -> SQL:
    groups = [any_of(group, config) for group in query.groups]
    sql = " && ".join(part for part, _ in groups)
    params = [p for _, ps in groups for p in ps]
    if query.excluded:
        excluded, more = any_of(query.excluded, config)
        sql = f"{sql} && !!{excluded}" if sql else excluded
        params += more
    return f"({sql})", params


def fetch(rows: QuerySet[Entry, Any]) -> list[Any]:
    """The rows of a `values_list` as the driver reads them: thousands of rows pass through
    no per-row conversion of Django's (the columns are numbers and text already)."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def configs(languages: Collection[str]) -> dict[str, list[str]]:
    """The configurations the entries may be indexed with, and the languages of each."""
    by_config: dict[str, list[str]] = defaultdict(list)
    for language in set(languages) or {""}:
        by_config[langs.pg_config(language)].append(language)
    return dict(by_config)


class PostgreSQL(Engine):
    name = "postgresql"

    def _match(
        self, entries: QuerySet[Entry], query: Query, languages: Collection[str], scope: str
    ) -> QuerySet[Entry]:
        """The entries the query finds, with a `score`."""
        if not query.has_words and not query.excluded:
            return entries.extra(select={"score": "0", "moment": MOMENT})  # noqa: S610 - constant SQL
        used = configs(languages)
        wheres: list[str] = []
        where_params: list[str] = []
        ranks: list[str] = []
        rank_params: list[str] = []
        for config in sorted(used):
            sql, params = tsquery(query, config)
            if not query.has_words:  # only excluded words: the entries without them
                condition, cparams = f"NOT (search_entry.document @@ {sql})", params
            else:
                condition, cparams = f"search_entry.document @@ {sql}", params
                groups = scope_groups(scope)
                if groups:
                    # The scope's words are lexemes of their own (":kfinding", see the
                    # migration), quoted as such in the tsquery's text.
                    within = " & ".join(
                        "(" + " | ".join(f"':{word}'" for word in group) + ")" for group in groups
                    )
                    condition = f"search_entry.document @@ ({sql} && %s::tsquery)"
                    cparams = [*params, within]
            if len(used) > 1:
                condition = (
                    f"(search_config(search_entry.language) = %s::regconfig AND {condition})"
                )
                cparams = [config, *cparams]
            wheres.append(condition)
            where_params += cparams
            if query.has_words:
                ranks.append(f"ts_rank(search_entry.document, {sql}, 1)")
                rank_params += params
        score = ranks[0] if len(ranks) == 1 else f"GREATEST({', '.join(ranks)})" if ranks else "0"
        return entries.extra(  # noqa: S610 - constant SQL, every value a parameter
            where=["(" + " OR ".join(wheres) + ")"],
            params=where_params,
            select={"score": score, "moment": MOMENT},
            select_params=rank_params,
        )

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
        # In no order, the planner reads a common word's entries as they come and a rarer
        # one's through the GIN index, each fast; asked for the newest, it may walk the table
        # backwards past most of it.
        found = self._match(entries, query, languages, scope)
        found = found.order_by("-id") if newest else found.order_by()
        return fetch(found.values_list("id", "kind", "score", "moment")[:limit])  # type: ignore[misc]

    def tidy(self, *, whole: bool = False) -> None:
        # GIN keeps new entries in a pending list that every search reads through, until
        # autovacuum (or this) moves them into the index proper.
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('search_entry_document_idx'::regclass)")

    def count(
        self,
        entries: QuerySet[Entry],
        query: Query,
        languages: Collection[str],
        scope: str,
        cap: int,
    ) -> int:
        # Only the ids, so that no row's rank is computed to be counted.
        found = self._match(entries, query, languages, scope).order_by().values("id")
        return found[:cap].count()

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
        found = self._match(entries, query, languages, scope)
        order = ("-at", "-id") if newest or not query.has_words else ("-score", "-at", "-id")
        rows = found.order_by(*order).values_list("id", "score", "moment")  # type: ignore[misc]
        return fetch(rows[offset : offset + limit])

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
        # Unless newest first is asked for, those the plan reads first, narrowed by the index
        # to the kind: read newest first, a common word's list is walked backwards.
        return fetch(self._some(entries, query, languages, scope, limit, newest=newest))

    def _some(
        self,
        entries: QuerySet[Entry],
        query: Query,
        languages: Collection[str],
        scope: str,
        limit: int,
        *,
        newest: bool,
    ) -> QuerySet[Entry, Any]:
        found = self._match(entries, query, languages, scope)
        found = found.order_by("-id") if newest else found.order_by()
        return found.values_list("id", "score", "moment")[:limit]  # type: ignore[misc]

    def some_of_each(
        self,
        searches: list[tuple[QuerySet[Entry], str]],
        query: Query,
        languages: Collection[str],
        limit: int,
        *,
        newest: bool,
    ) -> list[list[Row]]:
        # One round trip for all: each search's rows, numbered by the search they answer.
        parts: list[str] = []
        params: list[Any] = []
        for number, (entries, scope) in enumerate(searches):
            rows = self._some(entries, query, languages, scope, limit, newest=newest)
            try:
                sql, its = rows.query.sql_with_params()
            except EmptyResultSet:
                continue
            parts.append(f"(SELECT {number}, s.* FROM ({sql}) s)")  # noqa: S608 - Django's SQL, every value a parameter
            params += its
        found: list[list[Row]] = [[] for _ in searches]
        if parts:
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                for number, *row in cursor.fetchall():
                    found[number].append(tuple(row))
        return found
