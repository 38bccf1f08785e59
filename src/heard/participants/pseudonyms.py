"""Pseudonyms: a download that hides who the participants are. Each participant is named by
a stable pseudonym ("P07"), the same in every export of the workspace, and companies are left
out; their names, first and last names, emails and companies are replaced in the text too
(quotes, readings, transcripts).

A person asks for it on a download (`?pseudonyms=1`); for observers it is the only way where
the workspace says so (`Workspace.observers_export_pseudonyms`, on by default). The
participant directory's CSV is not pseudonymised: it is the list of who people are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from heard.accounts.models import Membership, Role
from heard.accounts.requests import WorkspaceRequest
from heard.participants.models import Participant, take_aliases

ASK = "pseudonyms"
COMPANY = "[company]"
# Parts of a name shorter than this are not replaced alone ("Al", "Li": too many words).
MIN_NAME_PART = 3


def wanted(request: WorkspaceRequest) -> bool:
    """Whether this download hides who the participants are: asked for, or an observer's
    where the workspace makes it their only way."""
    return forced_for(request) or request.GET.get(ASK) == "1"


def forced_for(request: WorkspaceRequest) -> bool:
    """Whether this person's downloads always hide who the participants are."""
    return forced(request.membership)


def forced(membership: Membership | None) -> bool:
    return bool(
        membership
        and membership.role_enum is Role.OBSERVER
        and membership.workspace.observers_export_pseudonyms
    )


def label(number: int) -> str:
    return f"P{number:02d}"


def numbers(workspace_id: int, only: Iterable[int] | None = None) -> dict[int, int]:
    """The pseudonym numbers of the workspace's participants (`only` those, if given), by
    participant id. People are numbered as they are added (`Participant.save`); rows written
    in bulk without one (an import numbers its own) get the next numbers here, in the order
    they were added."""
    people = Participant.objects.filter(workspace_id=workspace_id)
    if people.filter(alias__isnull=True).exists():
        with transaction.atomic():
            missing = list(people.filter(alias__isnull=True).order_by("created_at", "id"))
            for person, alias in zip(
                missing, take_aliases(workspace_id, len(missing)), strict=True
            ):
                person.alias = alias
            Participant.objects.bulk_update(missing, ["alias"], batch_size=1000)
    if only is not None:
        people = people.filter(pk__in=list(only))
    return dict(people.values_list("pk", "alias"))  # type: ignore[arg-type]


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word matches of `names`: a name of several words in any case; a single word only
    as written (capitalised), so that "Will" or "Apple" do not catch "will" and "apple"."""
    parts = []
    for name in sorted({" ".join(n.split()) for n in names if n.strip()}, key=len, reverse=True):
        words = name.split()
        if len(words) == 1 and len(name) < MIN_NAME_PART:
            continue
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append(f"(?i:{body})" if len(words) > 1 else body)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class Pseudonyms:
    """How an export names the participants `people`: `name(person)`, and every text through
    `text` (a value through `value`, a row through `line`, JSON through `json`). Built with
    `on=False`, it changes nothing."""

    def __init__(self, people: Iterable[Participant], numbers: dict[int, int], on: bool) -> None:
        self.on = on
        self.labels: dict[int, str] = {}
        self.replacements: dict[str, str] = {}
        self.companies: set[str] = set()
        if not on:
            self.pattern = None
            return
        parts: dict[str, str] = {}
        for person in people:
            alias = label(numbers.get(person.pk, 0))
            self.labels[person.pk] = alias
            if person.is_erased:
                continue
            for said in (person.name, person.email):
                if said.strip():
                    self.replacements[_key(said)] = alias
            for part in person.name.split():
                if len(part) >= MIN_NAME_PART:
                    parts.setdefault(_key(part), alias)
            if person.company.strip():
                self.companies.add(_key(person.company))
        for part, alias in parts.items():
            self.replacements.setdefault(part, alias)
        for company in self.companies:
            self.replacements.setdefault(company, COMPANY)
        emails = [re.escape(k) for k in self.replacements if "@" in k]
        names = names_pattern(
            [p.name for p in people if not p.is_erased]
            + [part for p in people if not p.is_erased for part in p.name.split()]
            + [p.company for p in people if not p.is_erased]
        )
        alternatives = [*(f"(?i:{e})" for e in emails), *([names.pattern] if names else [])]
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None

    def name(self, person: Participant) -> str:
        return self.labels.get(person.pk, person.name) if self.on else person.name

    def company(self, person: Participant) -> str:
        return "" if self.on else person.company

    def text(self, value: str) -> str:
        if not self.on or not value or self.pattern is None:
            return value
        return self.pattern.sub(lambda m: self.replacements.get(_key(m.group()), m.group()), value)

    def value(self, value: Any) -> Any:
        """A cell: a company alone is left out, any other text passes through `text`."""
        if not self.on or not isinstance(value, str):
            return value
        if _key(value) in self.companies:
            return ""
        return self.text(value)

    def line(self, values: list[Any]) -> list[Any]:
        return [self.value(value) for value in values] if self.on else values

    def json(self, value: Any) -> Any:
        if not self.on:
            return value
        if isinstance(value, str):
            return self.value(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value


def of(workspace_id: int, people: Iterable[Participant], on: bool) -> Pseudonyms:
    """The pseudonyms of `people` (of one workspace), or none when not `on`."""
    people = list(people)
    return Pseudonyms(people, numbers(workspace_id, [p.pk for p in people]) if on else {}, on)


def noted(hide: Pseudonyms) -> dict[str, bool]:
    """What an audit entry of a download says of its pseudonyms: that it had them, if so."""
    return {"pseudonyms": True} if hide.on else {}
