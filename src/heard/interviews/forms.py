from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone

from heard.accounts.models import User, Workspace
from heard.core.dependents import dependents_of
from heard.core.forms import Choices, QuickSelect
from heard.guides.models import Guide
from heard.interviews import scheduling, services
from heard.interviews.models import MAX_LENGTH_MINUTES, Interview, TeamMember, TeamRole
from heard.interviews.zones import is_time_zone, time_zone_choices
from heard.participants.models import Participant
from heard.participants.picker import ParticipantPicker, clean_query
from heard.studies.models import Study

# What a held or summarised interview keeps, whatever the form sends (`InterviewForm.history`).
LOCKED_ONCE_HELD = {"study": "study", "participant": "participant", "guide": "guide"}


class GuideSelect(forms.Select):
    """Guides grouped by study; each option says its study and length, for the form's script."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guide_facts: dict[str, tuple[int, int]] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        facts = self.guide_facts.get(str(option["value"]))
        if facts:
            option["attrs"]["data-study"] = facts[0]
            option["attrs"]["data-minutes"] = facts[1]
        return option


class InterviewForm(forms.ModelForm):
    # A search, not a list of the whole directory: a workspace may hold 50,000 people.
    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(),
        widget=ParticipantPicker,
        help_text="The customer you will talk to: search the directory, then pick them.",
        error_messages={"required": "Search for the participant, then pick them in the list."},
    )
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Local time in the chosen time zone.",
    )
    time_zone = forms.CharField(
        label="Time zone",
        widget=QuickSelect,
        help_text="Where the interviewer will be. Calendars convert it for everyone else.",
    )
    length_minutes = forms.IntegerField(
        label="Length (minutes)",
        required=False,
        min_value=5,
        max_value=MAX_LENGTH_MINUTES,
        help_text="Leave empty to use the guide's interview length (45 minutes without a guide).",
    )

    class Meta:
        model = Interview
        fields = ("study", "participant", "guide", "mode", "location", "transcript_language")
        labels = {
            "mode": "How you meet",
            "location": "Link or place",
            "transcript_language": "Language of the call",
        }
        widgets = {"study": QuickSelect}  # a workspace may hold thousands of studies
        help_texts = {
            "guide": "The questions to ask. It must be one of the study's guides.",
            "location": "The video-call link, the phone number to call, or the address.",
        }

    field_order = (
        "study",
        "participant",
        "guide",
        "day",
        "start_time",
        "time_zone",
        "length_minutes",
        "mode",
        "location",
        "transcript_language",
    )

    def __init__(
        self, *args: Any, workspace: Workspace, participant_query: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        study_field = cast(forms.ModelChoiceField, self.fields["study"])
        studies = Study.objects.filter(workspace=workspace).order_by("title", "id")
        study_field.queryset = studies
        # Offered from plain rows: a workspace may hold thousands of studies.
        study_field.choices = Choices([("", "Pick a study"), *studies.values_list("pk", "title")])
        participant = cast(forms.ModelChoiceField, self.fields["participant"])
        # An erased person is no one to schedule; an interview held with them keeps them.
        participant.queryset = Participant.objects.filter(workspace=workspace).filter(
            Q(erased_at__isnull=True) | Q(pk=self.instance.participant_id)
        )
        picker = cast(ParticipantPicker, participant.widget)
        picker.workspace = workspace
        picker.query = clean_query(participant_query)
        self._set_up_guides(workspace)

        now = timezone.now()
        instance_zone = self.instance.time_zone if self.instance.pk else ""
        self.fields["time_zone"].widget.choices = Choices(
            time_zone_choices(now, also=instance_zone)
        )
        if self.instance.pk:
            local = self.instance.local_start
            self.initial.setdefault("day", local.date())
            self.initial.setdefault("start_time", local.time())
            self.initial.setdefault("time_zone", self.instance.time_zone)
            self.initial.setdefault("length_minutes", self.instance.length_minutes)
        else:
            self.initial.setdefault("time_zone", settings.TIME_ZONE)

    def known_study(self) -> int | None:
        """The study the form is about so far: the one sent, else the one it starts with (an
        address's `?study=`, or the interview's own)."""
        own = self.instance.study_id if self.instance.pk else None
        if self.is_bound:
            raw = self.data.get(self.add_prefix("study")) or own
        else:
            raw = self.initial.get("study") or own
        raw = str(raw or "")
        return int(raw) if raw.isdecimal() and len(raw) < 12 else None

    def _set_up_guides(self, workspace: Workspace) -> None:
        """The guide offered are the known study's only (a workspace may hold thousands of
        guides): the form's script asks for another study's when the study changes
        (`views.guide_options`), and without it the form's "Show its guides" button does.
        Any guide of the workspace is taken, and `clean` holds it to the study."""
        # Archived guides serve no new interview; one keeps the guide it already has.
        current = self.instance.guide_id if self.instance.pk else None
        offered = Q(archived_at__isnull=True) | Q(pk=current)
        field = cast(forms.ModelChoiceField, self.fields["guide"])
        field.queryset = Guide.objects.filter(offered, study__workspace=workspace)
        study = self.known_study()
        facts: dict[str, tuple[int, int]] = {}
        choices: list[tuple[Any, str]] = []
        if study is None:
            choices.append(("", "Pick a study first"))
            field.help_text = "The questions to ask: pick the study first, then one of its guides."
        else:
            choices.append(("", "No guide yet"))
            rows = (
                field.queryset.filter(study_id=study)
                .order_by("title", "id")
                .values_list("pk", "title", "interview_minutes", "archived_at")
            )
            for pk, title, minutes, archived_at in rows:
                archived = ", archived" if archived_at is not None else ""
                choices.append((pk, f"{title} ({minutes} min{archived})"))
                facts[str(pk)] = (study, minutes)
        field.choices = Choices(choices)
        widget = GuideSelect(choices=field.choices)
        widget.guide_facts = facts
        field.widget = widget

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if not is_time_zone(name):
            raise forms.ValidationError(
                f"“{name}” is not a time zone. Use a name such as Europe/Berlin or America/New_York."
            )
        return name

    def history(self) -> str:
        """What the interview already holds (a call, a summary), in words: it keeps its study,
        its participant and its guide. Empty for an interview that said nothing yet."""
        if not self.instance.pk:
            return ""
        held = ["its call was held in Heard"] if self.instance.is_held else []
        kept = [d.label for d in dependents_of(self.instance)]
        if kept:
            has = ", ".join(kept[:-1]) + (" and " if len(kept) > 1 else "") + kept[-1]
            held.append(f"it has {has}")
        return ", and ".join(held)

    def _keep_history(self, data: dict[str, Any]) -> None:
        history = self.history()
        if not history:
            return
        for name, what in LOCKED_ONCE_HELD.items():
            if name in data and data[name] != getattr(self.instance, name):
                self.add_error(
                    name,
                    f"This interview keeps its {what}: {history}. What was said belongs to it "
                    "as it was. Schedule a new interview instead.",
                )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self._keep_history(data)
        study, guide = data.get("study"), data.get("guide")
        if study and guide and guide.study_id != study.pk:
            self.add_error(
                "guide",
                f"“{guide.title}” is a guide of another study. Pick one of the guides of "
                f"“{study.title}”, or no guide.",
            )
        day, clock, zone = data.get("day"), data.get("start_time"), data.get("time_zone")
        if day and clock and zone:
            try:
                self.starts_at: datetime = scheduling.local_to_utc(day, clock, zone)
            except scheduling.NonexistentLocalTime as error:
                self.add_error("start_time", str(error))
        return data

    def save(self, commit: bool = True) -> Interview:
        interview: Interview = super().save(commit=False)
        interview.starts_at = self.starts_at
        interview.time_zone = self.cleaned_data["time_zone"]
        interview.length_minutes = self.cleaned_data["length_minutes"] or scheduling.default_length(
            interview
        )
        if commit:
            interview.save()
        return interview


class NewInterviewForm(InterviewForm):
    creator_interviews = forms.BooleanField(
        label="I will lead this interview (add me to the team as interviewer)",
        required=False,
        initial=True,
    )


class StudyFilterForm(forms.Form):
    """The interview list's choice of study: every study of the workspace, offered from plain
    rows (a workspace may hold thousands)."""

    study = forms.ChoiceField(
        label="Study", required=False, widget=QuickSelect(attrs={"id": "study-filter"})
    )

    def __init__(self, workspace: Workspace, study: Study | None) -> None:
        super().__init__(initial={"study": study.pk if study else ""})
        studies = Study.objects.filter(workspace=workspace).order_by("title", "id")
        field = cast(forms.ChoiceField, self.fields["study"])
        field.choices = Choices([("", "All studies"), *studies.values_list("pk", "title")])


class TeamMemberForm(forms.ModelForm):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Workspace member",
        empty_label="Someone outside Heard (name them below)",
    )

    class Meta:
        model = TeamMember
        fields = ("user", "guest_name", "title", "role", "seniority")
        labels = {
            "guest_name": "Or their name, if they are not in Heard",
            "title": "Title, for the intros",
            "role": "Role on the call",
            "seniority": "Seniority",
        }
        help_texts = {
            "title": "How they are introduced, e.g. VP Product.",
            "seniority": "1 is the most senior. The team introduces itself in this order, "
            "most senior first, in under 2 minutes.",
        }

    def __init__(self, *args: Any, interview: Interview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.interview = interview
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = User.objects.filter(
            memberships__workspace_id=interview.study.workspace_id, is_active=True
        ).order_by("name", "id")
        seniority = cast(forms.IntegerField, self.fields["seniority"])
        seniority.min_value = 1
        seniority.validators.append(MinValueValidator(1))
        seniority.widget.attrs["min"] = 1
        if not self.instance.pk:
            self.initial.setdefault("seniority", services.next_seniority(interview))
            self.initial.setdefault("role", TeamRole.NOTETAKER)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        user, guest_name = data.get("user"), (data.get("guest_name") or "").strip()
        if user and guest_name:
            self.add_error(
                "guest_name",
                "Pick a workspace member or type the name of someone outside Heard, not both.",
            )
        elif not user and not guest_name:
            self.add_error(
                "guest_name",
                "Pick a workspace member, or type the name of someone outside Heard.",
            )
        elif user and self._already_on_team(user):
            self.add_error("user", f"{user} is already on this interview's team.")
        data["guest_name"] = guest_name
        return data

    def _already_on_team(self, user: User) -> bool:
        others = self.interview.team.filter(user=user)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()
