"""The form of the consent page: one topic's answer, what was asked, by whom, how and when (in
the interview's time zone)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from heard.interviews import scheduling
from heard.interviews.models import (
    ANSWERS,
    ASKED,
    ConsentRecord,
    ConsentTopic,
    ConsentWay,
    Interview,
    TeamMember,
)

NOT_SAID = ""


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(label="Their answer", widget=forms.RadioSelect)
    asked = forms.CharField(
        label="What they were asked",
        max_length=ConsentRecord._meta.get_field("asked").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The question as it was put to them, so that the answer can be read right later.",
    )
    way = forms.ChoiceField(
        label="How",
        choices=ConsentWay.choices,
        initial=ConsentWay.IN_CALL,
        widget=forms.RadioSelect,
    )
    asked_by = forms.ChoiceField(label="Who asked", required=False)
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=ConsentRecord._meta.get_field("note").max_length,
        help_text="Optional: where the written answer is kept, anything the answer depends on.",
    )

    def __init__(
        self,
        *args: Any,
        interview: Interview,
        topic: ConsentTopic,
        team: list[TeamMember],
        **kwargs: Any,
    ) -> None:
        local_now = timezone.now().astimezone(interview.zone)
        kwargs.setdefault(
            "initial",
            {"asked": ASKED[topic], "day": local_now.date(), "time": local_now.time()},
        )
        super().__init__(*args, **kwargs)
        self.interview = interview
        self.topic = topic
        self.team = {str(member.user_id): member for member in team if member.user_id}
        answer = self.fields["answer"]
        assert isinstance(answer, forms.ChoiceField)
        answer.choices = [(choice.value, choice.label) for choice in ANSWERS[topic]]
        asked_by = self.fields["asked_by"]
        assert isinstance(asked_by, forms.ChoiceField)
        asked_by.choices = [(NOT_SAID, "Not said")] + [
            (key, member.display_name) for key, member in self.team.items()
        ]
        self.fields["day"].help_text = f"In the interview's time zone, {interview.time_zone}."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, clock = data.get("day"), data.get("time")
        if day and clock:
            try:
                self.answered_at: datetime.datetime = scheduling.local_to_utc(
                    day, clock, self.interview.time_zone
                )
            except scheduling.NonexistentLocalTime as error:
                self.add_error("time", str(error))
        return data

    @property
    def asked_by_user(self) -> Any:
        member = self.team.get(self.cleaned_data.get("asked_by") or NOT_SAID)
        return member.user if member else None
