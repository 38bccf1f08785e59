"""Query building blocks shared by the list pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Count, IntegerField, Lookup, OuterRef, Subquery, Value
from django.db.models.base import ModelState
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.functions import Coalesce


def count_of(model: type[models.Model], field: str, **filters: Any) -> Coalesce:
    """How many `model` rows point at each outer row through `field` (0 when none).

    A correlated subquery rather than a join: the outer query needs no GROUP BY, so counting
    it for pagination stays cheap however many rows there are.
    """
    counts = (
        model._default_manager.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def count_of_related(model: type[models.Model], relation: str, **filters: Any) -> Coalesce:
    """`count_of` through a reverse relation of `model` (`count_of_related(Study,
    "interviews")`): an earlier stage counts a later stage's rows without importing it."""
    field = model._meta.get_field(relation)
    if not isinstance(field, ForeignObjectRel):
        raise TypeError(f"{model.__name__}.{relation} is not a reverse relation")
    return count_of(field.related_model, field.field.name, **filters)


def bare[M: models.Model](
    model: type[M], related: dict[str, models.Model | None] | None = None, **values: Any
) -> M:
    """A model instance made from values read as plain rows, without `Model.__init__` (its
    signals, its defaults, its loop over every field): for read-only objects made by the
    thousand, such as a study's quotes in an export, whose rules live on the model.

    `values`: by attribute name (`note_id`, not `note`); a field left out loads from the
    database when read, as a deferred field does. `related`: the objects its foreign keys
    lead to, by field name, as `select_related` would have cached them."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    state = ModelState()
    state.adding = False
    state.db = "default"
    if related:
        state.fields_cache.update(related)
    instance._state = state
    return instance


class AnyOf(Lookup):
    """`field IN (values)` for a long list of values: on PostgreSQL one array parameter
    (`field = ANY(%s)`), which the driver passes as it is, rather than a placeholder per value
    that it must find and fill in the statement's text on every run (milliseconds for a few
    thousand). Used as a condition: `Q(AnyOf(F("speaker_id"), ids))`."""

    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs: Any, values: Iterable[Any]) -> None:
        super().__init__(lhs, list(values))

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        return "", tuple(self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
