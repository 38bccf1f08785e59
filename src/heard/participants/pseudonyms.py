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
from collections.abc import Iterable, Iterator
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
            take_aliases(workspace_id, 0)  # the workspace's lock first: then who still has none
            missing = list(people.filter(alias__isnull=True).order_by("created_at", "id"))
            for person, alias in zip(
                missing, take_aliases(workspace_id, len(missing)), strict=True
            ):
                person.alias = alias
            Participant.objects.bulk_update(missing, ["alias"], batch_size=1000)
    if only is not None:
        people = people.filter(pk__in=list(only))
    return dict(people.values_list("pk", "alias"))  # type: ignore[arg-type]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _joined(between: str) -> bool:
    """Whether what stands between two words keeps them one name: spaces, or one of the
    marks names hold (O'Brien, Jean-Luc)."""
    return (between.isspace() and "\n\n" not in between) or between in JOINERS


# A word of a text, an email address in it, and what may stand between the words of a name
# ("Anna  Lee", "O'Brien", "Jean-Luc").
WORD = re.compile(r"\w+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
JOINERS = frozenset({"'", "\u2019", "-", "."})


class Names:
    """Names to find in texts, each with a tag; a text is read word by word, each word looked
    up among the names' first words (a regular expression of hundreds of names would cost a
    millisecond a sentence). A name of several words matches in any case, its words apart by
    spaces or by the marks names hold (O'Brien, Jean-Luc); a name of one word only as written;
    the longest name wins, and the first tag given to a name holds."""

    def __init__(self) -> None:
        # Names of one word by that word casefolded: (tag, the word as written).
        self.singles: dict[str, tuple[str, str]] = {}
        # Names of several words by their first two words: (words, tag), longest first.
        self.pairs: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
        self.taken: set[tuple[str, ...]] = set()

    def add(self, text: str, tag: str) -> None:
        words = tuple(word.casefold() for word in WORD.findall(text))
        if not words or (len(words) == 1 and len(words[0]) < MIN_NAME_PART):
            return
        if words in self.taken:
            return
        self.taken.add(words)
        if len(words) == 1:
            self.singles[words[0]] = (tag, text.strip())
            return
        longer = self.pairs.setdefault((words[0], words[1]), [])
        longer.append((words, tag))
        longer.sort(key=lambda wanted: len(wanted[0]), reverse=True)

    def spans(self, value: str) -> Iterator[tuple[int, int, str]]:
        """Each name in `value`: where it starts and ends, and its tag; earliest first."""
        if not self.singles and not self.pairs:
            return
        words = list(WORD.finditer(value))
        folded = [word.group().casefold() for word in words]
        index = 0
        while index < len(words):
            match = self._at(value, words, folded, index)
            if match is None:
                index += 1
                continue
            taken, tag = match
            yield words[index].start(), words[index + taken - 1].end(), tag
            index += taken

    def _at(
        self, value: str, words: list[re.Match[str]], folded: list[str], index: int
    ) -> tuple[int, str] | None:
        if index + 1 < len(words):
            for wanted, tag in self.pairs.get((folded[index], folded[index + 1]), ()):
                end = index + len(wanted)
                if end <= len(words) and all(
                    folded[k] == wanted[k - index]
                    and _joined(value[words[k - 1].end() : words[k].start()])
                    for k in range(index + 1, end)
                ):
                    return len(wanted), tag
        single = self.singles.get(folded[index])
        if single is not None and words[index].group() == single[1]:
            return 1, single[0]
        return None


class Pseudonyms:
    """How an export names the participants `people`: `name(person)`, and every text through
    `text` (a value through `value`, a row through `line`, JSON through `json`). Built with
    `on=False`, it changes nothing."""

    def __init__(self, people: Iterable[Participant], numbers: dict[int, int], on: bool) -> None:
        self.on = on
        self.labels: dict[int, str] = {}
        self.emails: dict[str, str] = {}
        self.companies: set[str] = set()
        self.names = Names()
        if not on:
            return
        people = list(people)
        for person in people:
            self.labels[person.pk] = label(numbers.get(person.pk, 0))
        living = [person for person in people if not person.is_erased]
        for person in living:  # whole names first, then their parts, then companies
            self.names.add(person.name, self.labels[person.pk])
            if person.email.strip():
                self.emails[person.email.strip().casefold()] = self.labels[person.pk]
        for person in living:
            for part in person.name.split():
                self.names.add(part, self.labels[person.pk])
        for person in living:
            if person.company.strip():
                self.companies.add(_key(person.company))
                self.names.add(person.company, COMPANY)

    def name(self, person: Participant) -> str:
        return self.labels.get(person.pk, person.name) if self.on else person.name

    def company(self, person: Participant) -> str:
        return "" if self.on else person.company

    def text(self, value: str) -> str:
        if not self.on or not value:
            return value
        if "@" in value and self.emails:
            value = EMAIL.sub(lambda m: self.emails.get(m.group().casefold(), m.group()), value)
        out: list[str] = []
        done = 0  # how much of `value` is in `out`
        for start, end, replacement in self.names.spans(value):
            out += [value[done:start], replacement]
            done = end
        return "".join(out) + value[done:] if out else value

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
