from __future__ import annotations

from django import forms

from heard.coach.models import CoachPolicy


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CoachPolicy
        fields = ("open_to_researchers", "customer_share_target")
