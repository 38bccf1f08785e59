"""What depends on a thing of the plan: what a later stage keeps that deleting it would change.

An earlier stage cannot import a later one, yet before it deletes one of its things (a
validation point, a guide question) it must know whether a held interview or a conclusion
rests on it. Each later stage registers, for the models it builds on, a function that counts
what of its own rests on an object (`register(ValidationPoint, count_point)`, in its app's
`ready()`); the earlier stage asks `dependents_of(point)` and gets the counts, in words, to
show on its confirmation page and to choose between deleting and archiving.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Dependent:
    """Some rows of a later stage that rest on an object: "3 summaries (1 final)"."""

    count: int
    singular: str
    plural: str
    detail: str = ""
    """What the confirmation adds after the count: "1 of them final"."""

    @property
    def label(self) -> str:
        words = self.singular if self.count == 1 else self.plural
        return f"{self.count} {words}" + (f" ({self.detail})" if self.detail else "")


Counter = Callable[[models.Model], list[Dependent]]

_COUNTERS: dict[type[models.Model], list[Counter]] = {}


def register(model: type[models.Model], counter: Counter) -> None:
    """Count what rests on `model`'s objects (once per counter, however often called)."""
    counters = _COUNTERS.setdefault(model, [])
    if counter not in counters:
        counters.append(counter)


def dependents_of(obj: models.Model) -> list[Dependent]:
    """Everything the later stages keep that rests on `obj`, nonzero counts only."""
    found: list[Dependent] = []
    for counter in _COUNTERS.get(type(obj), []):
        found += [dependent for dependent in counter(obj) if dependent.count]
    return found
