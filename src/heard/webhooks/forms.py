from __future__ import annotations

from typing import Any

from django import forms

from heard.webhooks import targets
from heard.webhooks.models import URL_MAX_LENGTH, EventType, Webhook


class WebhookForm(forms.ModelForm[Webhook]):
    url = forms.CharField(
        label="URL",
        max_length=URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks/heard"}),
        help_text="Heard sends a POST with a JSON body here when one of the events below "
        "happens: an http:// or https:// address on the public internet (one inside a private "
        "network only where the server allows it). Redirects are not followed.",
    )
    events = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What this address hears about.",
        error_messages={"required": "Choose at least one event."},
    )
    description = forms.CharField(
        max_length=200,
        required=False,
        help_text="What it feeds, for whoever looks at this list next (e.g. “Roadmap board”).",
    )

    class Meta:
        model = Webhook
        fields = ("url", "events", "description", "active")
        labels = {"active": "Active: send events to this address"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["active"]

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        try:
            targets.check(url)
        except targets.TargetRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        except targets.TargetUnreachable as failure:
            raise forms.ValidationError(
                f"{failure} Check the address: Heard looks its host up before saving it."
            ) from None
        return url
