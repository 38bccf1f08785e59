"""Picking one participant in a form by searching the directory, however large it is.

The widget renders a search box and the participants that match it as radio buttons, never
the whole directory. With htmx the box asks `participants:picker` for matches as one types;
without JavaScript its Search button sends the form by GET and the page comes back with the
matches. The chosen participant stays listed (and chosen) whatever is searched next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse

from heard.accounts.models import Workspace
from heard.participants.models import Participant
from heard.participants.services import directory

MATCHES_SHOWN = 20
# What a search reads: what people know someone by. Fewer columns keep a search that finds
# nobody (and so reads every row) quick in a directory of 50,000.
SEARCHED = ("name", "email", "company")
MAX_QUERY_LENGTH = 100
# The search box's name is the field's name with this after it (`participant_q`).
QUERY_SUFFIX = "_q"


@dataclass(frozen=True)
class Matches:
    query: str
    found: list[Participant]  # in name order, at most MATCHES_SHOWN
    more: bool  # more people match than are found
    chosen: Participant | None

    @property
    def people(self) -> list[Participant]:
        """Who is offered: the chosen person first when the search did not find them."""
        if self.chosen is None or any(p.pk == self.chosen.pk for p in self.found):
            return self.found
        return [self.chosen, *self.found]

    @property
    def message(self) -> str:
        """What the search found, in words (announced to screen readers as it changes)."""
        if not self.query:
            return "Type part of a name, company or email, then pick the person."
        if not self.found:
            return f"No participant matches “{self.query}”."
        if self.more:
            return (
                f"More than {MATCHES_SHOWN} participants match “{self.query}”; the first "
                f"{MATCHES_SHOWN} are listed. Type more to narrow them down."
            )
        count = len(self.found)
        if count == 1:
            return f"1 participant matches “{self.query}”."
        return f"{count} participants match “{self.query}”."


def clean_query(text: str) -> str:
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def find(workspace: Workspace, query: str, chosen_pk: int | None = None) -> Matches:
    """The participants matching `query` (every word, in name, email or company), at most
    MATCHES_SHOWN in name order, and the one chosen so far: two queries at most."""
    query = clean_query(query)
    people = directory(workspace, query=query, fields=SEARCHED)
    found = list(people[: MATCHES_SHOWN + 1]) if query else []
    chosen = next((p for p in found if p.pk == chosen_pk), None)
    if chosen is None and chosen_pk is not None:
        chosen = Participant.objects.filter(
            workspace=workspace, pk=chosen_pk, erased_at__isnull=True
        ).first()
    return Matches(query, found[:MATCHES_SHOWN], len(found) > MATCHES_SHOWN, chosen)


def pk_of(value: object) -> int | None:
    text = str(value) if value is not None else ""
    return int(text) if text.isdecimal() and len(text) < 12 else None


class ParticipantPicker(forms.Widget):
    """A search box and the matching participants as radio buttons (`name` is the field's).

    The form sets `workspace` and the search typed so far (`query`) before rendering.
    """

    template_name = "participants/widgets/picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.workspace: Workspace | None = None
        self.query = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # The search box is not what must be filled in: a radio button is.
        context["widget"]["attrs"].pop("required", None)
        assert self.workspace is not None, "the form sets the picker's workspace"
        context["picker"] = picker_context(self.workspace, name, self.query, pk_of(value))
        return context

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


def picker_context(
    workspace: Workspace, name: str, query: str, chosen_pk: int | None
) -> dict[str, Any]:
    """What the picker's template and its htmx partial show."""
    return {
        "name": name,
        "query_name": f"{name}{QUERY_SUFFIX}",
        "matches": find(workspace, query, chosen_pk),
        "chosen_pk": chosen_pk,
        "search_url": reverse("participants:picker", kwargs={"ws": workspace.slug}),
    }
