"""Forms of reviews and the decision log."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from heard.accounts.models import User
from heard.core.bidi import isolated
from heard.studies.models import Study
from heard.synthesis.models import (
    FINDING_MAX_LENGTH,
    Finding,
    Quote,
    VoteChoice,
)


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
    return f"{person.name}{where}: “{isolated(words)}”"


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
    def label_from_instance(self, obj: Finding) -> str:
        return obj.statement


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.email


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
    agreed_by = MemberChoices(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who agreed",
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        findings = cast(FindingChoices, self.fields["findings"])
        findings.queryset = study.findings.order_by("created_at", "id")
        members = cast(MemberChoices, self.fields["agreed_by"])
        members.queryset = User.objects.filter(
            memberships__workspace_id=study.workspace_id, is_active=True
        ).order_by("name", "id")
