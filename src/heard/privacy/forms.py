"""The retention policy's form, and an owner's hold on one interview."""

from __future__ import annotations

from django import forms
from django.db import models

from heard.privacy.models import RetentionHold, RetentionPolicy

# Past these, a period is a typing mistake rather than a policy.
MAX_DAYS = 36500
MAX_MONTHS = 1200


def _period(name: str, most: int) -> forms.IntegerField:
    model_field = RetentionPolicy._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return forms.IntegerField(
        label=str(model_field.verbose_name).capitalize(),
        help_text=str(model_field.help_text),
        required=False,
        min_value=1,
        max_value=most,
    )


class RetentionPolicyForm(forms.Form):
    recordings_days = _period("recordings_days", MAX_DAYS)
    transcripts_days = _period("transcripts_days", MAX_DAYS)
    interviews_months = _period("interviews_months", MAX_MONTHS)


class RetentionHoldForm(forms.ModelForm):
    class Meta:
        model = RetentionHold
        fields = ("until", "reason")
        widgets = {"until": forms.DateInput(attrs={"type": "date"})}
        labels = {"until": "Keep until", "reason": "Why"}
