"""Hand-written statements on the hottest paths, whose rows become model instances exactly as
the ORM would make them.

Building a query with the ORM costs far more than running it: a few hundred microseconds of
Python to compile a join that the database answers in tens. For the handful of statements run
on every save of a live call, Heard writes the SQL once per process and reads its columns back
through the same converters the ORM applies (dates on SQLite, booleans, UUIDs), so that what
comes back is indistinguishable from `Model.objects.get(...)`'s result.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


class Columns[M: models.Model]:
    """Every concrete column of `model`, as a hand-written statement selects them under
    `alias`, and the instance made from those values (`make`)."""

    def __init__(self, model: type[M], alias: str) -> None:
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        # Per connection (each thread has its own), the converters of each column.
        self._converters: weakref.WeakKeyDictionary[
            BaseDatabaseWrapper, list[tuple[Any, list[Converter]]]
        ] = weakref.WeakKeyDictionary()

    def __len__(self) -> int:
        return len(self.fields)

    def sql(self, connection: BaseDatabaseWrapper) -> str:
        quote = connection.ops.quote_name
        return ", ".join(
            f"{self.alias}.{quote(field.column or field.name)}" for field in self.fields
        )

    def _converters_for(self, connection: BaseDatabaseWrapper) -> list[tuple[Any, list[Converter]]]:
        connection = connections[connection.alias]  # the thread's own, not the proxy
        found = self._converters.get(connection)
        if found is None:
            found = []
            for field in self.fields:
                column = field.get_col(self.alias)
                converters = connection.ops.get_db_converters(column)
                found.append((column, [*converters, *column.get_db_converters(connection)]))
            self._converters[connection] = found
        return found

    def make(self, values: Sequence[Any], connection: BaseDatabaseWrapper) -> M:
        """The instance of these columns' values (in `sql`'s order), converted as the ORM
        converts them."""
        converted = []
        for value, (column, converters) in zip(
            values, self._converters_for(connection), strict=True
        ):
            for convert in converters:
                value = convert(value, column, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


_written: dict[tuple[str, str], str] = {}


def written(name: str, build: Callable[[BaseDatabaseWrapper], str]) -> str:
    """The statement `name`, built by `build` for the default database the first time this
    process asks, and kept for every later call (one per kind of database)."""
    connection = connections[DEFAULT_DB_ALIAS]
    key = (name, connection.vendor)
    sql = _written.get(key)
    if sql is None:
        sql = _written[key] = build(connection)
    return sql


def table(model: type[models.Model], connection: BaseDatabaseWrapper) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], field: str, connection: BaseDatabaseWrapper) -> str:
    found = model._meta.get_field(field)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model.__name__}.{field} is not a column")
    return columns([found], connection)


def columns(fields: list[models.Field[Any, Any]], connection: BaseDatabaseWrapper) -> str:
    return ", ".join(connection.ops.quote_name(field.column or field.name) for field in fields)


def for_update(connection: BaseDatabaseWrapper) -> str:
    """` FOR UPDATE` where the database locks rows (on SQLite, the transaction that every write
    opens with BEGIN IMMEDIATE already holds the whole database)."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""
