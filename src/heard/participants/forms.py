from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import Truncator

from heard.accounts.models import Workspace
from heard.participants import services
from heard.participants.csv_file import ImportFileError, Table, decode_upload, read_table
from heard.participants.csv_headers import (
    FIRST_NAME,
    IGNORE,
    LAST_NAME,
    NAME_PARTS,
    NEW_PROFILE_FIELD,
    profile_target,
)
from heard.participants.csv_import import (
    FIELD_LABELS,
    STANDARD_FIELDS,
    DuplicateChoice,
    MappingError,
    resolve_mapping,
)
from heard.participants.models import Participant, Recontact, ResearchNote
from heard.participants.profile import (
    PROFILE_VALUE_MAX_LENGTH,
    ProfileKey,
    display_value,
)

SEGMENT_OPTIONS_ID = "segment-options"
EMAIL_IN_USE = (
    "Another participant in this workspace has this email. Open them from the directory "
    "instead of adding them twice."
)


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ("name", "email", "company", "role", "segment")
        widgets = {"segment": forms.TextInput(attrs={"list": SEGMENT_OPTIONS_ID})}
        help_texts = {
            "email": "Optional. Used to recognise the same person when you import a list.",
            "segment": "The kind of customer, e.g. “Mid-market finance team”. "
            "Compare what each segment says later.",
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["name"].widget.attrs["autocomplete"] = "off"

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if email and services.email_in_use(self.workspace, email, exclude_pk=self.instance.pk):
            raise forms.ValidationError(EMAIL_IN_USE)
        return email


class ProfileForm(forms.Form):
    """One text box per profile field the workspace's guides define."""

    def __init__(
        self,
        *args: Any,
        keys: Sequence[ProfileKey],
        profile: dict[str, object] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "profile")
        super().__init__(*args, **kwargs)
        profile = profile or {}
        self.keys = list(keys)
        for item in self.keys:
            self.fields[item.key] = forms.CharField(
                label=item.label,
                required=False,
                max_length=PROFILE_VALUE_MAX_LENGTH,
                # The form renderer shows help as HTML; a guide's help is plain text.
                help_text=escape(item.help_text),
                initial=display_value(profile.get(item.key)),
            )

    @property
    def values(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if isinstance(value, str)}


class ResearchNoteForm(forms.ModelForm):
    class Meta:
        model = ResearchNote
        fields = ("noted_on", "source", "body", "url")
        widgets = {
            "noted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 4}),
            "source": forms.TextInput(attrs={"list": "note-sources"}),
        }
        labels = {
            "noted_on": "Date",
            "body": "What we know",
            "url": "Link (optional)",
        }
        help_texts = {
            "noted_on": "When this was true or happened.",
            "source": "Where it comes from: CRM, usage data, a news article, an earlier call…",
            "body": "For example: “Exports 40 reports a week, mostly on Mondays” or "
            "“Announced a merger with Globex in March”.",
            "url": "The dashboard, article or CRM record, if there is one.",
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A .csv file with a header row, one row per participant, saved as UTF-8. "
        "From Excel, Numbers or Google Sheets: File → Save as (or Download) → CSV UTF-8.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.HEARD_IMPORT_MAX_BYTES
        size = upload.size or 0
        if size > limit:
            raise forms.ValidationError(
                f"This file is {_megabytes(size)}; the most an import takes is "
                f"{_megabytes(limit)}. Split it into smaller files."
            )
        try:
            text = decode_upload(upload.read(limit + 1))
            self.table = read_table(text, settings.HEARD_IMPORT_MAX_ROWS)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        self.text = text
        return upload


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class MappingForm(forms.Form):
    """For each column of the file: which participant field it fills, if any."""

    def __init__(
        self,
        *args: Any,
        table: Table,
        keys: Sequence[ProfileKey],
        mapping: Sequence[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        self.known_keys = [item.key for item in keys]
        base: list[tuple[str, str]] = [(IGNORE, "Don't import"), ("name", FIELD_LABELS["name"])]
        base += [
            (FIRST_NAME, "First name (part of the name)"),
            (LAST_NAME, "Last name (part of the name)"),
        ]
        base += [(name, FIELD_LABELS[name]) for name in STANDARD_FIELDS if name != "name"]
        profile = [(profile_target(item.key), item.label) for item in keys]
        for index in range(len(table.headers)):
            new_label = f"New profile field “{table.column_name(index)}”"
            choices: list[Any] = [*base]
            if profile:
                choices.append(("Profile fields from your guides", profile))
            choices.append((NEW_PROFILE_FIELD, new_label))
            samples = table.samples(index)
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=table.column_name(index),
                choices=choices,
                initial=mapping[index] if index < len(mapping) else IGNORE,
                help_text=(
                    # The form renderer shows help as HTML; the file's values are plain text.
                    "For example: "
                    + format_html_join(
                        ", ",
                        '“<span dir="auto">{}</span>”',
                        ((Truncator(value).chars(40),) for value in samples),
                    )
                    if samples
                    else "Empty in every row."
                ),
            )

    @property
    def mapping(self) -> list[str]:
        return [self.cleaned_data[f"col_{index}"] for index in range(len(self.table.headers))]

    def chosen(self, index: int) -> str:
        """What column `index` is set to now: as sent, or as first offered."""
        name = f"col_{index}"
        value = self.data.get(name) if self.is_bound else self.fields[name].initial
        return str(value or IGNORE)

    def name_parts(self) -> list[int]:
        """The columns set to be parts of the name, first name first."""
        chosen = [self.chosen(index) for index in range(len(self.table.headers))]
        return [chosen.index(part) for part in NAME_PARTS if part in chosen]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                resolve_mapping(self.table, self.mapping, self.known_keys)
            except MappingError as error:
                for message in error.messages:
                    self.add_error(None, message)
        return data


class DuplicateChoicesForm(forms.Form):
    """Merge or skip the rows whose email an earlier row has: one by one (`row_5=merge`), or
    all of them at once (`every=skip`)."""

    every = forms.ChoiceField(choices=DuplicateChoice.choices, required=False)

    def __init__(self, data: Any, *, rows: Sequence[int]) -> None:
        super().__init__(data)
        self.rows = list(rows)
        for number in self.rows:
            self.fields[f"row_{number}"] = forms.ChoiceField(
                choices=DuplicateChoice.choices, required=False
            )

    @property
    def choices(self) -> dict[int, DuplicateChoice]:
        """Each row's choice: `every` for all of them, or else the rows chosen one by one."""
        every = self.cleaned_data["every"]
        chosen = {number: every or self.cleaned_data[f"row_{number}"] for number in self.rows}
        return {number: DuplicateChoice(choice) for number, choice in chosen.items() if choice}


class RecontactForm(forms.Form):
    """The customer's answer to "may we reach out again with more questions?"."""

    recontact = forms.ChoiceField(
        choices=Recontact.choices, required=False, widget=forms.RadioSelect
    )

    def __init__(self, data: Any = None, *, participant: Participant) -> None:
        super().__init__(data, initial={"recontact": participant.recontact})
        name = participant.first_name or "them"
        label = format_html('May we contact <span dir="auto">{}</span> again?', name)
        self.fields["recontact"].label = label

    def clean_recontact(self) -> str:
        # "Not asked yet" is the empty choice: tell it apart from a form sent without an answer.
        if "recontact" not in self.data:
            raise forms.ValidationError("Pick an answer.")
        return str(self.cleaned_data["recontact"])
