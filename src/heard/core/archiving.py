"""Archiving: a thing of the plan that held interviews used is hidden from new work, not deleted.

An archived validation point, guide, section or question no longer appears where new work is
planned (the guide editor, the choices of a form, a new summary), but stays, with everything
that rests on it, for the interviews that already spoke to it, and is shown there as archived.
`archived_at` says since when: what an interview held before that moment saw, it still sees.
Editing a section or question that held interviews saw archives it too, and puts a copy with
the new words in its place (`guides.revising`): the held interviews keep the old words, their
question states and their notes' links.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, Self

from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from heard.core.dependents import Dependent, dependents_of


def shown_at(when: datetime | None, prefix: str = "") -> Q:
    """What an interview held at `when` shows of its guide: the parts (sections, questions)
    there when its call began, however the guide changed since; for `when` None (a call still
    to come), the guide as it stands. A part was there when it had been added by then
    (`created_at`: none for parts older than that record) and was not archived yet.
    `prefix` reaches the part through a relation (`"section__"`)."""
    archived, created = f"{prefix}archived_at", f"{prefix}created_at"
    current = Q(**{f"{archived}__isnull": True})
    if when is None:
        return current
    added = Q(**{f"{created}__isnull": True}) | Q(**{f"{created}__lte": when})
    return (current | Q(**{f"{archived}__gt": when})) & added


class ArchivableQuerySet(models.QuerySet[Any]):
    def current(self) -> Self:
        """What new work may use: nothing archived."""
        return self.filter(archived_at__isnull=True)

    def archived(self) -> Self:
        return self.filter(archived_at__isnull=False)


class Archivable(models.Model):
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was archived: hidden from new work, kept for the interviews that "
        "already used it.",
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self, when: datetime | None = None) -> None:
        if self.archived_at is None:
            self.archived_at = when or timezone.now()
            type(self)._default_manager.filter(pk=self.pk).update(archived_at=self.archived_at)

    def restore(self) -> None:
        self.archived_at = None
        type(self)._default_manager.filter(pk=self.pk).update(archived_at=None)


class Outcome(StrEnum):
    DELETED = "deleted"
    ARCHIVED = "archived"


def delete_or_archive(
    obj: Archivable, release: Callable[[], object] | None = None
) -> tuple[Outcome, list[Dependent]]:
    """Delete `obj` when nothing held rests on it (`core.dependents`), else archive it.

    `release` lets go of links that need not be kept (run only before a deletion). Something
    that came to rest on it meanwhile makes the database refuse the deletion (its relations
    protect it): it is archived then."""
    with transaction.atomic():
        kept = dependents_of(obj)
        if not kept:
            try:
                with transaction.atomic():
                    if release is not None:
                        release()
                    obj.delete()
                return Outcome.DELETED, []
            except (ProtectedError, RestrictedError):
                kept = dependents_of(obj)
        obj.archive()
        return Outcome.ARCHIVED, kept
