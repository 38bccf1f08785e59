from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import SafeString

from heard.guides.models import (
    TEAM_RESERVE_MAX,
    TEAM_RESERVE_MIN,
    Guide,
    ProfileField,
    Question,
    Section,
)
from heard.guides.services import StartFrom
from heard.studies.models import Study, ValidationPoint

SMALLEST_CONVERSATION = 5


class GuideForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields: tuple[str, ...] = (
            "title",
            "interview_minutes",
            "team_reserve_minutes",
            "customer_reserve_minutes",
        )
        labels = {
            "interview_minutes": "Interview length (minutes)",
            "team_reserve_minutes": "Team's questions (minutes)",
            "customer_reserve_minutes": "Customer's questions (minutes)",
        }
        help_texts = {
            "title": "For example “Discovery call, 45 min” or “Follow-up on pricing”.",
            "interview_minutes": "How long the meeting in the calendar is.",
        }
        error_messages = {
            "team_reserve_minutes": {
                "min_value": "Leave at least 5 minutes for the team's questions.",
                "max_value": "Keep the team's questions to 10 minutes at most.",
            },
            "interview_minutes": {
                "min_value": "An interview of less than 15 minutes leaves no room for a conversation.",
                "max_value": "Plan an interview of 4 hours at most.",
            },
        }

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        length = data.get("interview_minutes")
        team = data.get("team_reserve_minutes")
        customer = data.get("customer_reserve_minutes")
        if length is None or team is None or customer is None:
            return data
        if not TEAM_RESERVE_MIN <= team <= TEAM_RESERVE_MAX:
            return data  # Model validation, which runs next, says what is wrong with it.
        shortest = team + customer + SMALLEST_CONVERSATION
        if length < shortest:
            self.add_error(
                "interview_minutes",
                f"With {team} + {customer} minutes of reserves, a {length}-minute interview "
                f"leaves no time for your questions: make it at least {shortest} minutes.",
            )
        return data


class GuideCreateForm(GuideForm):
    start_from = forms.ChoiceField(
        label="Start from",
        choices=(
            (
                StartFrom.TEMPLATE.value,
                "The built-in template: 6 sections and 15 questions that follow the method",
            ),
            (StartFrom.BLANK.value, "A blank guide: add your own sections and questions"),
        ),
        initial=StartFrom.TEMPLATE.value,
        widget=forms.RadioSelect,
    )

    class Meta(GuideForm.Meta):
        fields = (*GuideForm.Meta.fields, "start_from")


class CopyGuideForm(forms.Form):
    source = forms.TypedChoiceField(
        label="Guide to copy",
        coerce=int,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label="Title of the copy",
        max_length=200,
        required=False,
        help_text="Leave empty to keep the title of the guide you copy.",
    )

    def __init__(self, *args: Any, guides: list[Guide], study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guides = {g.pk: g for g in guides}
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)
        source.choices = [(g.pk, self.describe(g, study)) for g in guides]

    @staticmethod
    def describe(guide: Guide, study: Study) -> SafeString:
        """A radio button's label; the titles in the direction of their own script."""
        where = (
            "this study"
            if guide.study_id == study.pk
            else format_html('study “<span dir="auto">{}</span>”', guide.study.title)
        )
        count = getattr(guide, "question_count", None)
        questions = "" if count is None else f" · {count} question{'' if count == 1 else 's'}"
        return format_html('<span dir="auto">{}</span> — {}{}', guide.title, where, questions)

    def source_guide(self) -> Guide:
        return self.guides[self.cleaned_data["source"]]


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ("title", "purpose")
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "title": "For example “Pains and how they measure them”.",
            "purpose": "Optional: what this part of the conversation is for, as a reminder.",
        }


class PointsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> SafeString:
        """A checkbox's label: the statement in the direction of its own script."""
        point: ValidationPoint = obj
        archived = " (archived)" if point.is_archived else ""
        return format_html(
            '{}{}: <span dir="auto">{}</span>', point.label, archived, point.statement[:140]
        )


class QuestionForm(forms.ModelForm):
    text = forms.CharField(
        label="Question",
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Open questions make a conversation: “Tell me about the last time…”, "
        "“How do you measure…”.",
    )
    points = PointsField(
        label="Validation points it serves",
        queryset=ValidationPoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follow_ups = forms.CharField(
        label="Follow-up prompts",
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, to dig deeper when it fits: “Why does that matter?”",
    )

    class Meta:
        model = Question
        fields = ("section", "text", "priority", "minutes", "points", "follow_ups", "answered_by")
        labels = {"minutes": "Minutes", "section": "Section"}

    def __init__(self, *args: Any, guide: Guide, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section_field = self.fields["section"]
        assert isinstance(section_field, forms.ModelChoiceField)
        section_field.queryset = guide.sections.current()
        section_field.empty_label = None
        section_field.help_text = "Choose another section to move the question there."
        points_field = self.fields["points"]
        assert isinstance(points_field, forms.ModelMultipleChoiceField)
        # The study's current points, and any archived one the question already serves:
        # saving the form keeps that link.
        linked = Q(pk__in=self.instance.points.all()) if self.instance.pk else Q(pk__in=[])
        points_field.queryset = guide.study.points.filter(Q(archived_at__isnull=True) | linked)
        if not guide.study.points.current().exists():
            points_field.help_text = (
                "This study has no validation points yet: add them on the study page, "
                "then link the questions that serve them."
            )
        else:
            points_field.help_text = "What you hope to learn from the answer."


class ProfileFieldForm(forms.ModelForm):
    class Meta:
        model = ProfileField
        fields = ("label", "help_text")
        labels = {"label": "Field", "help_text": "Hint"}
        help_texts = {
            "label": "Something to know about each customer, such as “Company size”.",
            "help_text": "Optional: what to write, such as “Employees, or seats”.",
        }
