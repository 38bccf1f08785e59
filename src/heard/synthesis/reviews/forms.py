"""Forms of reviews and the decision log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from heard.accounts.models import User
from heard.core.bidi import isolated
from heard.studies.models import Study
from heard.synthesis.findings.services import Weighed
from heard.synthesis.models import (
    FINDING_MAX_LENGTH,
    Finding,
    Quote,
    VoteChoice,
)
from heard.synthesis.reviews.decisions import WarningsNotAcknowledged, acknowledgement_key


class StartReviewForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Leave empty for “Review of <study>, <today>”.",
    )


class VoteForm(forms.Form):
    vote = forms.ChoiceField(choices=VoteChoice.choices)


def quote_label(quote: Quote) -> str:
    person = quote.point_summary.summary.interview.participant
    where = f" ({isolated(person.company)})" if person.company else ""
    words = " ".join(quote.text.split())
    words = words if len(words) <= 90 else words[:89].rstrip() + "…"
    return f"{person.name}{where}: {quote.marked(isolated(words))}"


class ChallengeForm(forms.Form):
    text = forms.CharField(
        label="Your challenge",
        max_length=FINDING_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text="What you read differently, or what the team may have missed.",
    )
    counter = forms.TypedChoiceField(
        label="Counter-evidence (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="A quote from the interviews that speaks against it.",
    )

    def __init__(self, *args: Any, quotes: list[Quote], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quotes = {quote.pk: quote for quote in quotes}
        groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
        for quote in quotes:
            point = quote.point_summary.point
            label = f"{point.label} · {isolated(point.statement[:60])}"
            groups.setdefault(point.pk, (label, []))[1].append((quote.pk, quote_label(quote)))
        counter = cast(forms.TypedChoiceField, self.fields["counter"])
        counter.choices = [("", "None"), *groups.values()]

    def counter_quote(self) -> Quote | None:
        pk = self.cleaned_data.get("counter")
        return self.quotes.get(pk) if pk else None


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label="How it was resolved",
        max_length=FINDING_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text="What the team concluded: the finding stands, was reworded, or needs more "
        "interviews.",
    )
    add_counter_evidence = forms.BooleanField(
        label="Add its counter-evidence to the finding, as contradicting it", required=False
    )


class FindingChoices(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warned: dict[int, Weighed] = {}

    def label_from_instance(self, obj: Finding) -> str:
        item = self.warned.get(obj.pk)
        if item is None:
            return obj.statement
        return f"{obj.statement} ({', '.join(w.title.lower() for w in item.warnings)})"


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.email


def acknowledgement_label(item: Weighed) -> str:
    """Names the finding and each of its warnings, in full."""
    said = " ".join(
        f"{w.title}: {w.text.replace(w.who, isolated(w.who)) if w.who else w.text}"
        for w in item.warnings
    )
    return f"Decide on “{isolated(item.finding.statement)}” knowing this. {said}"


class DecisionForm(forms.Form):
    text = forms.CharField(
        label="What the team decided",
        max_length=FINDING_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    findings = FindingChoices(
        queryset=Finding.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="On which findings",
        help_text="If evidence added later contradicts one of them, the decision is flagged.",
    )
    acknowledge = forms.MultipleChoiceField(
        label="Findings with a warning",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Deciding on one of these needs its box ticked: one response is not a "
        "pattern. The decision log keeps that you knew.",
    )
    agreed_by = MemberChoices(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who agreed",
    )

    def __init__(
        self, *args: Any, study: Study, warned: Sequence[Weighed] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        findings = cast(FindingChoices, self.fields["findings"])
        findings.queryset = study.findings.order_by("created_at", "id")
        findings.warned = {item.finding.pk: item for item in warned}
        self.keys = {
            item.finding.pk: acknowledgement_key(item.finding, item.warnings) for item in warned
        }
        if warned:
            acknowledge = cast(forms.MultipleChoiceField, self.fields["acknowledge"])
            acknowledge.choices = [
                (self.keys[item.finding.pk], acknowledgement_label(item)) for item in warned
            ]
        else:
            del self.fields["acknowledge"]
        members = cast(MemberChoices, self.fields["agreed_by"])
        members.queryset = User.objects.filter(
            memberships__workspace_id=study.workspace_id, is_active=True
        ).order_by("name", "id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticked = set(data.get("acknowledge", ()))
        missing = [
            finding
            for finding in data.get("findings", ())
            if finding.pk in self.keys and self.keys[finding.pk] not in ticked
        ]
        if missing:
            names = ", ".join(f"“{finding.statement[:80]}”" for finding in missing)
            self.add_error(
                "acknowledge",
                f"Tick the warnings of {names} to decide on {'it' if len(missing) == 1 else 'them'}"
                ", or leave it out of the decision.",
            )
        return data

    def note_unacknowledged(self, error: WarningsNotAcknowledged) -> None:
        """The service found warnings this form did not show (evidence changed meanwhile)."""
        self.add_error(None, str(error))
