"""The search page's forms: the search itself (GET), the filters added from menus, and
saving a search on a study."""

from __future__ import annotations

from django import forms

from heard.search.models import Kind
from heard.search.query import MAX_LENGTH
from heard.search.results import ORDERS, RELEVANCE


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=MAX_LENGTH * 2, strip=False)
    order = forms.ChoiceField(
        label="Order", required=False, choices=list(ORDERS.items()), initial=RELEVANCE
    )
    kind = forms.ChoiceField(
        label="Show", required=False, choices=[("", "Everything"), *Kind.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def clean_order(self) -> str:
        return self.cleaned_data.get("order") or RELEVANCE

    def clean_q(self) -> str:
        # Longer than a query may be: cut, and said so by the query itself.
        return (self.cleaned_data.get("q") or "")[: MAX_LENGTH + 1]


class SaveSearchForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    q = forms.CharField(widget=forms.HiddenInput, max_length=MAX_LENGTH)
    study = forms.TypedChoiceField(label="Keep it on the study", coerce=int)

    def __init__(self, *args: object, studies: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        study = self.fields["study"]
        assert isinstance(study, forms.TypedChoiceField)
        study.choices = studies
