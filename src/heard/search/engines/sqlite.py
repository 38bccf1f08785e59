"""SQLite: an FTS5 table over `search_entry.text` (external content, kept in step by the
triggers of the app's first migration), Porter's stemmer, accents folded, ranked by BM25."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from heard.search.engines.base import Engine
from heard.search.models import Entry
from heard.search.query import Query, Term


def term_sql(term: Term) -> str:
    """A term as an FTS5 string: its words (letters and digits only, so nothing in them is
    FTS5 syntax) in one quoted phrase, `*` after it for a prefix."""
    return f'"{" ".join(term.words)}"' + ("*" if term.prefix else "")


def any_of(terms: list[Term]) -> str:
    return "(" + " OR ".join(term_sql(term) for term in terms) + ")"


def expression(query: Query, scope: str) -> str:
    """The FTS5 query: the scope's words in their column; in the text, every group, then NOT
    each excluded term."""
    found = " AND ".join(any_of(group) for group in query.groups)
    if query.excluded:
        found = f"({found}) NOT {any_of(query.excluded)}"
    within = " AND ".join(f'"{word}"' for word in scope.split())
    return f"scope : ({within}) AND text : ({found})"


class SQLite(Engine):
    name = "sqlite"

    def match(
        self, entries: QuerySet[Entry], query: Query, languages: Collection[str], scope: str
    ) -> QuerySet[Entry]:
        if query.has_words:
            return entries.extra(
                tables=["search_entry_fts"],
                where=["search_entry_fts.rowid = search_entry.id", "search_entry_fts MATCH %s"],
                params=[expression(query, scope)],
                # BM25 is lower for a better match: negated, higher is better as on PostgreSQL.
                # The scope's words weigh nothing.
                select={"score": "-bm25(search_entry_fts, 1.0, 0.0)"},
            )
        if query.excluded:
            entries = entries.extra(
                where=[
                    "search_entry.id NOT IN (SELECT rowid FROM search_entry_fts "
                    "WHERE search_entry_fts MATCH %s)"
                ],
                params=[f"text : {any_of(query.excluded)}"],
            )
        return entries.extra(select={"score": "0"})
