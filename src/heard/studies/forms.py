from __future__ import annotations

from django import forms

from heard.studies.models import Study, ValidationPoint


class StudyForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = ("title", "goal", "decision", "status")
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "decision": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"decision": "Decision it informs"}


class ValidationPointForm(forms.ModelForm):
    class Meta:
        model = ValidationPoint
        fields = ("statement", "kind", "priority", "confirm_if", "refute_if")
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "confirm_if": forms.Textarea(attrs={"rows": 2}),
            "refute_if": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "statement": "A hypothesis to test (“Teams find report generation too slow”) "
            "or an open question (“How do they measure efficiency?”).",
        }
