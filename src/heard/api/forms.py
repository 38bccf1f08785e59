"""The form that makes a token."""

from __future__ import annotations

from django import forms

from heard.accounts.models import Role
from heard.api.tokens import roles_up_to

LIFETIMES = (
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "A year"),
    ("", "No end (revoke it when done)"),
)


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What it is for, so you know which to revoke later: “CRM sync”, “Wiki”.",
    )
    role = forms.ChoiceField(
        help_text="What the token may do: never more than you may. It follows yours down if "
        "your role is lowered."
    )
    read_only = forms.BooleanField(
        required=False,
        label="Read only",
        help_text="It may read, and change nothing.",
    )
    expires = forms.ChoiceField(choices=LIFETIMES, required=False, initial="90", label="Lasts")

    def __init__(self, *args: object, role: Role, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r.value, r.label) for r in roles_up_to(role)]
        self.fields["role"].initial = role.value

    @property
    def expires_in_days(self) -> int | None:
        value = self.cleaned_data.get("expires") or ""
        return int(value) if value else None
