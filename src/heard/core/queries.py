"""Query building blocks shared by the list pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import InvalidPage, Page, Paginator
from django.db import models
from django.db.models import Count, IntegerField, Lookup, OuterRef, Subquery, Value
from django.db.models.base import ModelState
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet


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


def page_of[M: models.Model](
    listing: QuerySet[M],
    number: str | None,
    per_page: int,
    *,
    rows: Callable[[QuerySet[M]], QuerySet[M]],
    count: int | None = None,
) -> Page:
    """Page `number` of `listing` (filtered and ordered, nothing more) in two steps: the ids
    of the page's rows, then those rows as `rows` reads them (their joins, their counts). A
    database that sorts before it limits then joins and counts for one page of rows, not for
    every row the list holds. `count`, when the caller knows it, saves counting again."""
    paginator = Paginator(listing.values_list("pk", flat=True), per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(number)
    page.object_list = rows_of(listing.model, list(page.object_list), rows)
    return page


def first_of[M: models.Model](
    listing: QuerySet[M], limit: int, *, rows: Callable[[QuerySet[M]], QuerySet[M]]
) -> list[M]:
    """The first `limit` rows of `listing`, in the two steps of `page_of`."""
    return rows_of(listing.model, list(listing.values_list("pk", flat=True)[:limit]), rows)


def rows_of[M: models.Model](
    model: type[M], ids: list[Any], rows: Callable[[QuerySet[M]], QuerySet[M]]
) -> list[M]:
    """The rows of `ids` as `rows` reads them, in the order of `ids`."""
    found = {row.pk: row for row in rows(model._default_manager.filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


class UncountedPage(Page):
    """A page of an `Uncounted` list: whether another follows is known, not how many."""

    def __init__(self, object_list: Any, number: int, paginator: Uncounted, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class Uncounted(Paginator):
    """Pages of a list that is never counted: each page reads one row past its end to know
    whether another follows. A search through 50,000 people that counts what it finds reads
    every row; a page of what it finds reads only as far as the page. The page nav says
    "Page 3", with Previous and Next, not "of how many"."""

    count = None  # type: ignore[assignment]
    num_pages = None  # type: ignore[assignment]

    def validate_number(self, number: Any) -> int:
        try:
            value = int(number)
        except (TypeError, ValueError):
            raise InvalidPage("That page number is not a whole number.") from None
        if value < 1:
            raise InvalidPage("That page number is less than 1.")
        return value

    def page(self, number: Any) -> UncountedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        return UncountedPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    def get_page(self, number: Any) -> UncountedPage:
        """Page `number`, or the first page for a number that is not one or lies past the
        end (an old link to a search that now finds fewer)."""
        try:
            page = self.page(number)
        except InvalidPage:
            return self.page(1)
        if not page.object_list and page.number > 1:
            return self.page(1)
        return page
