"""Reading a workspace's audit log: the owners' filters (a plain GET form, shared by the page
and its CSV) and the CSV's lines."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from heard.accounts.audit.lines import local, what, who
from heard.accounts.models import AuditAction, AuditEntry, User, Workspace

NO_ACCOUNT = "none"
CSV_HEADER = (
    "When",
    "Who",
    "Action",
    "What",
    "Target",
    "Target kind",
    "Target id",
    "Details",
    "Address",
)


def people(workspace: Workspace) -> QuerySet[User]:
    """Everyone the log may name: the members, and whoever acted in it and has left."""
    acted = AuditEntry.objects.filter(workspace=workspace, actor__isnull=False).values("actor")
    return (
        User.objects.filter(Q(memberships__workspace=workspace) | Q(pk__in=acted))
        .distinct()
        .order_by("name", "email")
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in Heard's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, choices=[("", "Every action"), *AuditAction.choices])
    person = forms.ChoiceField(label="Who", required=False)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: QueryDict, *, workspace: Workspace) -> None:
        super().__init__(data, label_suffix="")
        self.workspace = workspace
        person = cast(forms.ChoiceField, self.fields["person"])
        person.choices = [
            ("", "Anyone"),
            *((str(user.pk), f"{user.name} <{user.email}>") for user in people(workspace)),
            (NO_ACCOUNT, "Heard, the command line or a deleted account"),
        ]

    def narrowing(self) -> dict[str, Any]:
        """The filters that hold, as the query string names them (a value that does not
        hold, a date like 2027-02-30, is left out and shown with its error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.fields if data.get(name)}

    def entries(self) -> QuerySet[AuditEntry]:
        """The workspace's entries these filters let through, newest first."""
        narrowing = self.narrowing()
        found = AuditEntry.objects.filter(workspace=self.workspace)
        if "action" in narrowing:
            found = found.filter(action=narrowing["action"])
        if narrowing.get("person") == NO_ACCOUNT:
            found = found.filter(actor__isnull=True)
        elif "person" in narrowing:
            found = found.filter(actor_id=int(narrowing["person"]))
        if "since" in narrowing:
            found = found.filter(at__gte=_start_of(narrowing["since"]))
        if "until" in narrowing:
            found = found.filter(at__lt=_start_of(narrowing["until"] + datetime.timedelta(days=1)))
        return found.order_by("-at", "-id")


def csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[tuple[str, ...]]:
    """The entries as rows of the CSV, read a batch at a time."""
    yield CSV_HEADER
    for entry in entries.iterator(chunk_size=1000):
        yield (
            local(entry.at),
            who(entry),
            entry.get_action_display(),
            what(entry),
            entry.target_label,
            entry.target_kind,
            entry.target_id,
            json.dumps(entry.details, sort_keys=True, ensure_ascii=False) if entry.details else "",
            entry.address,
        )
