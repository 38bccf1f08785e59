from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from heard.accounts.models import Role, User, Workspace
from heard.core.merge_fields import check_fields


class NewAccountForm(forms.Form):
    """Name, email and a password typed twice: the first owner, or someone joining by invitation."""

    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_again = forms.CharField(
        label="Password, again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email exists already. Sign in instead."
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The two passwords differ.")
        elif password:
            probe = User(email=data.get("email", ""), name=data.get("name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class SetupForm(NewAccountForm):
    workspace_name = forms.CharField(
        label="Workspace name",
        max_length=120,
        help_text="Your team or company. You can invite colleagues to it next.",
    )


class SignInForm(forms.Form):
    email = forms.EmailField(
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Their email",
        help_text="Who the invitation is for. Their account will be made with it, unless they "
        "change it when they join.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.RESEARCHER)
    send_by_email = forms.BooleanField(
        label="Email them the invitation",
        required=False,
        initial=True,
        help_text="Otherwise Heard shows the link once, for you to pass on.",
    )

    def __init__(self, *args: Any, mail_available: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not mail_available:  # no mail server: the link is always shown
            del self.fields["send_by_email"]

    @property
    def send(self) -> bool:
        return bool(self.cleaned_data.get("send_by_email"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class WorkspaceForm(forms.Form):
    name = forms.CharField(label="Workspace name", max_length=120)


PURPOSE_FIELDS = (
    "participant_first_name",
    "participant_name",
    "company",
    "study_topic",
    "study_goal",
    "interviewer",
)


class WorkspaceSettingsForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = (
            "name",
            "purpose_template",
            "observers_may_export_participants",
            "observers_export_pseudonyms",
            "transcript_language",
        )
        widgets = {"purpose_template": forms.Textarea(attrs={"rows": 5})}
        labels = {"name": "Workspace name"}

    def clean_purpose_template(self) -> str:
        return check_fields(self.cleaned_data["purpose_template"], PURPOSE_FIELDS)
