"""Ordered lists (validation points, guide sections, questions): one way to reorder them all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect


class Positioned(Protocol):
    pk: int
    position: int


M = TypeVar("M", bound=models.Model)


class OrderError(ValueError):
    """The order sent does not name exactly the items of the list."""


def parse_ids(request: HttpRequest) -> list[int]:
    raw = request.POST.getlist("order")
    if len(raw) == 1 and "," in raw[0]:
        raw = raw[0].split(",")
    try:
        return [int(value) for value in raw]
    except ValueError:
        raise OrderError("The order must list item numbers.") from None


def apply_order[M: models.Model](items: models.QuerySet[M], ids: Sequence[int]) -> None:
    """Give `items` the order of `ids`, which must name each of them exactly once."""
    with transaction.atomic():
        current = {obj.pk: obj for obj in items.select_for_update()}
        if sorted(ids) != sorted(current):
            raise OrderError("The list changed meanwhile; reload the page and try again.")
        for position, pk in enumerate(ids):
            current[pk].position = position  # type: ignore[attr-defined]
        items.model._default_manager.bulk_update(current.values(), ["position"])


def move[M: models.Model](items: models.QuerySet[M], pk: int, step: int) -> None:
    """Move one item `step` places up (negative) or down (positive), within bounds."""
    ids = list(items.order_by("position", "id").values_list("pk", flat=True))
    if pk not in ids:
        raise OrderError("That item is not in this list.")
    index = ids.index(pk)
    target = max(0, min(len(ids) - 1, index + step))
    ids.insert(target, ids.pop(index))
    apply_order(items, ids)


def next_position[M: models.Model](items: models.QuerySet[M]) -> int:
    last = items.aggregate(top=models.Max("position"))["top"]
    return 0 if last is None else last + 1


def moved(request: HttpRequest, items: models.QuerySet[Any], pk: int, back_to: str) -> HttpResponse:
    """View helper: move item `pk` one place up or down (the buttons that work without
    JavaScript). Call it after the access check, so that outsiders get 404 first."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    move(items, pk, -1 if request.POST.get("direction") == "up" else 1)
    return redirect(back_to)


def reordered(request: HttpRequest, items: models.QuerySet[Any]) -> HttpResponse:
    """View helper: give `items` the order posted by sortable.js."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        apply_order(items, parse_ids(request))
    except OrderError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"ok": True})
