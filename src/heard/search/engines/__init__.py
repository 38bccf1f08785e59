"""One contract, two databases: `Engine.match` narrows a queryset of entries to those whose
text matches a query's words (and not its excluded ones), with a `score` to rank them by,
higher first. `heard.search.results` does the rest the same way on both."""

from __future__ import annotations

from django.db import connection

from heard.search.engines.base import Engine


def engine() -> Engine:
    """The engine of the database in use."""
    if connection.vendor == "postgresql":
        from heard.search.engines.postgresql import PostgreSQL

        return PostgreSQL()
    from heard.search.engines.sqlite import SQLite

    return SQLite()


__all__ = ["Engine", "engine"]
