"""Saved searches: a query kept on a study, and how many new matches each person has not
seen. A match is new to a person when what it indexes first existed after their last look
(`Entry.created`), so editing old text does not make it new."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from heard.accounts.models import User
from heard.search import query
from heard.search.models import SavedSearch, SearchLook
from heard.search.results import count_label, matching
from heard.studies.models import Study


def save(study: Study, user: User, name: str, text: str) -> SavedSearch:
    tidied = str(query.read(text))
    kept = SavedSearch.objects.create(
        study=study,
        name=name.strip(),
        query=tidied if 0 < len(tidied) <= query.MAX_LENGTH else text[: query.MAX_LENGTH],
        created_by=user,
    )
    looked(kept, user, kept.created_at)
    return kept


def last_look(kept: SavedSearch, user: User) -> datetime.datetime | None:
    return (
        SearchLook.objects.filter(saved=kept, user=user).values_list("looked_at", flat=True).first()
    )


def looked(kept: SavedSearch, user: User, when: datetime.datetime) -> None:
    SearchLook.objects.update_or_create(saved=kept, user=user, defaults={"looked_at": when})


@dataclass
class Counted:
    saved: SavedSearch
    total: int
    new: int

    @property
    def total_label(self) -> str:
        return count_label(self.total, "more than ")

    @property
    def new_label(self) -> str:
        return count_label(self.new, "more than ")


def counted(study: Study, user: User) -> list[Counted]:
    """The study's saved searches, each with its matches and those new since `user` last
    opened it (all of them, for one who never did)."""
    looks = dict(
        SearchLook.objects.filter(saved__study=study, user=user).values_list(
            "saved_id", "looked_at"
        )
    )
    found = []
    for kept in SavedSearch.objects.filter(study=study):
        parsed = query.read(kept.query)
        if parsed.is_empty or not (parsed.groups or parsed.filters):
            found.append(Counted(kept, 0, 0))
            continue
        search, _ = matching(study.workspace, parsed)
        total = search.count()
        since = looks.get(kept.pk)
        new = search.since(since).count() if since else total
        found.append(Counted(kept, total, new))
    return found
