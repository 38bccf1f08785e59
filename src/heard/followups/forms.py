from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils.text import Truncator

from heard.accounts.models import Workspace
from heard.core.bidi import isolated
from heard.core.merge_fields import check_fields
from heard.followups.models import MERGE_FIELDS, FollowUp, FollowUpTemplate
from heard.interviews.models import Note

MERGE_HELP = "Fields in braces are filled in for each interview; see the list beside the form."


class TemplateForm(forms.ModelForm):
    class Meta:
        model = FollowUpTemplate
        fields = ("name", "subject", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        labels = {"body": "Text"}
        help_texts = {
            "name": "How the team picks it, e.g. “Thank you, and may we ask more?”.",
            "subject": MERGE_HELP,
            "body": MERGE_HELP + " Double a brace ({{ or }}) to show it as is.",
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        others = self.workspace.followup_templates.filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("A template with this name exists already.")
        return name

    def clean_subject(self) -> str:
        return check_fields(self.cleaned_data["subject"], MERGE_FIELDS)

    def clean_body(self) -> str:
        return check_fields(self.cleaned_data["body"], MERGE_FIELDS)


@dataclass(frozen=True)
class Start:
    """What a new follow-up starts from: a template and the quote or topic to highlight."""

    template: FollowUpTemplate
    note: Note | None
    typed: str


class StartForm(forms.Form):
    """Sent by GET: picking another template or quote fills the email in again."""

    template = forms.ModelChoiceField(queryset=FollowUpTemplate.objects.none(), empty_label=None)
    note = forms.ChoiceField(
        label="Quote or topic from the call", required=False, help_text="Fills in {highlight}."
    )
    highlight = forms.CharField(
        label="Or type one",
        required=False,
        max_length=500,
        help_text="Takes the place of the note picked above.",
    )

    def __init__(
        self,
        data: Any,
        *,
        templates: Sequence[FollowUpTemplate],
        notes: Sequence[Note],
    ) -> None:
        first_note = str(notes[0].pk) if notes else ""
        super().__init__(
            data,
            initial={"template": templates[0].pk, "note": first_note},
            auto_id="start_%s",  # the email's form on the same page has a `template` too
        )
        self.templates = list(templates)
        self.notes = {str(note.pk): note for note in notes}
        field = cast(forms.ModelChoiceField, self.fields["template"])
        field.queryset = FollowUpTemplate.objects.filter(pk__in=[t.pk for t in templates])
        cast(forms.ChoiceField, self.fields["note"]).choices = [
            ("", "None (the study's topic, unless you type one)"),
            *(
                (key, f"{note.get_kind_display()}: {isolated(Truncator(note.text).chars(90))}")
                for key, note in self.notes.items()
            ),
        ]

    def start(self) -> Start:
        """The choice made, or the first template and note when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return Start(data["template"], self.notes.get(data["note"]), data["highlight"])
        return Start(self.templates[0], self.notes.get(self.initial["note"]), "")


class FollowUpForm(forms.ModelForm):
    template = forms.ModelChoiceField(
        queryset=FollowUpTemplate.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = FollowUp
        fields = ("to_email", "subject", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 19})}
        labels = {"body": "Text"}
        help_texts = {
            "to_email": "The participant's address. Check it: Heard refuses one that is not valid.",
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["template"]
        ).queryset = workspace.followup_templates.all()
