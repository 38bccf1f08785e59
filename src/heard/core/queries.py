"""Query building blocks shared by the list pages."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
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
