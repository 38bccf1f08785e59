from __future__ import annotations

from django import forms

from heard.interviews.models import NOTE_MAX_LENGTH
from heard.synthesis.models import Bearing, Stance

TEXT_MAX_LENGTH = 20_000


class StanceForm(forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices)


class HeardForm(forms.Form):
    what_we_heard = forms.CharField(
        label="What we heard",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your interpretation of what they said, in the team's words.",
    )


class TextForm(forms.Form):
    text = forms.CharField(
        required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )


class AddQuoteForm(forms.Form):
    point = forms.IntegerField()
    note = forms.UUIDField()


class MeasureForm(forms.Form):
    """The pain a KPI measures; empty for none."""

    pain = forms.UUIDField(required=False)


class QuoteForm(forms.Form):
    """Either field may come alone: the for/against buttons send only the bearing."""

    text = forms.CharField(
        label="Words of the quote",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bearing = forms.ChoiceField(choices=Bearing.choices, required=False)

    def clean_text(self) -> str | None:
        if "text" not in self.data:
            return None
        text: str = self.cleaned_data["text"]
        if not text:
            raise forms.ValidationError("A quote needs its words. Remove it instead?")
        return text

    def clean_bearing(self) -> str | None:
        return self.cleaned_data["bearing"] or None


class FinaliseForm(forms.Form):
    seen = forms.CharField(max_length=64)
    acknowledged = forms.BooleanField(required=False)
