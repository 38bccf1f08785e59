"""Forms of findings: writing one, and picking its evidence."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import SafeString

from heard.studies.models import Study, ValidationPoint
from heard.synthesis.findings.services import SourceKind
from heard.synthesis.models import FINDING_MAX_LENGTH, EvidenceBearing


class PointChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ValidationPoint) -> SafeString:
        """A checkbox's label: the statement in the direction of its own script."""
        archived = " (archived)" if obj.is_archived else ""
        return format_html('{}{} · <span dir="auto">{}</span>', obj.label, archived, obj.statement)


class FindingForm(forms.Form):
    statement = forms.CharField(
        max_length=FINDING_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text="What the team believes, in one or two sentences: “Agencies rebuild their "
        "client reports by hand every week”.",
    )
    points = PointChoices(
        queryset=ValidationPoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Validation points it speaks to",
        help_text="The evidence picker shows these points' quotes and summaries first.",
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        points = cast(PointChoices, self.fields["points"])
        # The study's current points, and any archived one the finding already speaks to.
        linked = [p.pk for p in self.initial.get("points", [])]
        offered = Q(archived_at__isnull=True) | Q(pk__in=linked)
        points.queryset = study.points.filter(offered).order_by("position", "id")


SOURCE = re.compile(rf"^({'|'.join(SourceKind)}):(\d{{1,12}})$")


class PickBearing(models.TextChoices):
    """The evidence picker's buttons: a bearing, or taking the evidence off the finding."""

    SUPPORTS = EvidenceBearing.SUPPORTS.value, EvidenceBearing.SUPPORTS.label
    CONTRADICTS = EvidenceBearing.CONTRADICTS.value, EvidenceBearing.CONTRADICTS.label
    REMOVE = "remove", "Remove"


class PickForm(forms.Form):
    """Mark a quote or a summary cell as evidence: `quote:12` or `cell:34`."""

    source = forms.RegexField(regex=SOURCE)
    bearing = forms.ChoiceField(choices=PickBearing.choices)

    def kind_and_pk(self) -> tuple[SourceKind, int]:
        match = SOURCE.match(self.cleaned_data["source"])
        assert match is not None  # the field's regex matched it
        return SourceKind(match[1]), int(match[2])

    def cleaned_bearing(self) -> EvidenceBearing | None:
        bearing: str = self.cleaned_data["bearing"]
        return None if bearing == PickBearing.REMOVE else EvidenceBearing(bearing)
