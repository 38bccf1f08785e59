"""PostgreSQL: a `tsvector` column (`search_entry.document`, kept by a trigger from the text
in the entry's language's configuration) with a GIN index, queried with the `tsquery`
functions, ranked by `ts_rank` (normalised by length)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import QuerySet

from heard.search import languages as langs
from heard.search.engines.base import Engine, Row, Sampled, scope_groups
from heard.search.models import Entry
from heard.search.query import Query, Term

SQL = tuple[str, list[str]]
# The full-text indexes: of every entry, and of every entry but the transcripts' lines (the
# migration 0004), which the planner reads where a search says its kind is not a line.
INDEXES = ("search_entry_document_idx", "search_entry_said_idx")
# A result's time as the engine answers it: seconds since 1970, which sort as the times do and
# cost the driver nothing to read (thousands of time stamps with their zones are milliseconds).
MOMENT = "EXTRACT(EPOCH FROM search_entry.at)::float8"


def term_sql(term: Term, config: str, *, paired: bool = False) -> SQL:
    """A term as a tsquery: a phrase of its words, the last a prefix where asked. The words
    are letters and digits only; a prefix's lexeme is quoted all the same. `paired`: a phrase
    asks for its pairs of neighbouring words besides (`search_phrase`, see the migration
    0003), which finds the same entries, through the index where a word of it is common."""
    if not term.prefix:
        made = "search_phrase" if paired and len(term.words) > 1 else "phraseto_tsquery"
        return f"{made}(%s::regconfig, %s)", [config, " ".join(term.words)]
    last = f"'{term.words[-1]}':*"
    if len(term.words) == 1:
        return "to_tsquery(%s::regconfig, %s)", [config, last]
    return (
        "tsquery_phrase(phraseto_tsquery(%s::regconfig, %s), to_tsquery(%s::regconfig, %s))",
        [config, " ".join(term.words[:-1]), config, last],
    )


def any_of(terms: list[Term], config: str, *, paired: bool = False) -> SQL:
    parts = [term_sql(term, config, paired=paired) for term in terms]
    return "(" + " || ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def tsquery(query: Query, config: str, *, paired: bool = False) -> SQL:
    """The query as a tsquery; `paired` to find entries with (see `term_sql`), not to rank
    them by (the pairs are not words of theirs)."""
    groups = [any_of(group, config, paired=paired) for group in query.groups]
    sql = " && ".join(part for part, _ in groups)
    params = [p for _, ps in groups for p in ps]
    if query.excluded:
        excluded, more = any_of(query.excluded, config, paired=paired)
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


def matching_sql(
    query: Query, languages: Collection[str], scope: str
) -> tuple[str | None, list[str], str, list[str]]:
    """The condition an entry the query finds meets (None: every entry does), and its score,
    each as SQL and its parameters."""
    if not query.has_words and not query.excluded:
        return None, [], "0", []
    used = configs(languages)
    wheres: list[str] = []
    where_params: list[str] = []
    ranks: list[str] = []
    rank_params: list[str] = []
    for config in sorted(used):
        sql, params = tsquery(query, config, paired=True)
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
            condition = f"(search_config(search_entry.language) = %s::regconfig AND {condition})"
            cparams = [config, *cparams]
        wheres.append(condition)
        where_params += cparams
        if query.has_words:
            sql, params = tsquery(query, config)
            ranks.append(f"ts_rank(search_entry.document, {sql}, 1)")
            rank_params += params
    score = ranks[0] if len(ranks) == 1 else f"GREATEST({', '.join(ranks)})" if ranks else "0"
    return "(" + " OR ".join(wheres) + ")", where_params, score, rank_params


class PostgreSQL(Engine):
    name = "postgresql"

    def _match(
        self, entries: QuerySet[Entry], query: Query, languages: Collection[str], scope: str
    ) -> QuerySet[Entry]:
        """The entries the query finds, with a `score`."""
        condition, params, score, score_params = matching_sql(query, languages, scope)
        if condition is None:
            return entries.extra(select={"score": score, "moment": MOMENT})  # noqa: S610 - constant SQL
        return entries.extra(  # noqa: S610 - constant SQL, every value a parameter
            where=[condition],
            params=params,
            select={"score": score, "moment": MOMENT},
            select_params=score_params,
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
            for index in INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])

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
        found = self._match(entries, query, languages, scope)
        found = found.order_by("-id") if newest else found.order_by()
        return fetch(found.values_list("id", "score", "moment")[:limit])  # type: ignore[misc]

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
        # One round trip for all: each kind's rows, numbered by the kind they answer. The
        # filters are made SQL once for all of them; each kind's search is a short statement
        # of its own around them (made by Django for each, they cost more to make than to run).
        found: list[list[Row]] = [[] for _ in kinds]
        filters = filters_sql(entries)
        if filters is None or not kinds:
            return found
        where, where_params = filters
        order = " ORDER BY search_entry.id DESC" if newest else ""
        parts: list[str] = []
        params: list[Any] = []
        for number, (kind, scope) in enumerate(kinds):
            condition, cparams, score, score_params = matching_sql(query, languages, scope)
            conditions = [where, "search_entry.kind = %s", condition or ""]
            parts.append(
                f"(SELECT {number}, search_entry.id, {score}, {MOMENT} FROM search_entry"  # noqa: S608 - constant SQL and Django's, every value a parameter
                f" WHERE {' AND '.join(c for c in conditions if c)}{order} LIMIT %s)"
            )
            params += [*score_params, *where_params, kind, *cparams, limit]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for number, *row in cursor.fetchall():
                found[number].append(tuple(row))
        return found


def filters_sql(entries: QuerySet[Entry]) -> tuple[str, list[Any]] | None:
    """The condition of `entries` (a queryset of `Entry` alone, filtered on its own columns
    and on subqueries) as SQL of the table `search_entry` and its parameters: ("", []) where
    it keeps every entry, None where it keeps none."""
    query = entries.query
    compiler = query.get_compiler(using=entries.db)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "", []
    return (f"({sql})" if sql else ""), list(params)
