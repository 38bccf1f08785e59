"""The forms of an interview's transcripts: importing a file, and who each speaker is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from heard.interviews.models import (
    NOTE_MAX_LENGTH,
    Interview,
    NoteKind,
    Recording,
    RecordingStatus,
    TranscriptSpeaker,
)
from heard.interviews.transcripts import formats, highlights
from heard.interviews.transcripts.speakers import OTHER, Choice, value_of
from heard.studies.models import ValidationPoint


class RecordingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        recording = cast(Recording, obj)
        length = f" ({recording.duration_label})" if recording.duration else ""
        return f"{recording.original_name}{length}"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Transcript file",
        help_text=(
            "A transcript from Zoom, Teams, Meet, Otter, Rev, YouTube or Heard: WebVTT, SubRip, "
            "SBV, Word, JSON or text, up to "
            f"{filesizeformat(settings.HEARD_TRANSCRIPT_IMPORT_MAX_BYTES)}. Speakers keep "
            "the names the file gives them."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ",".join(
                    sorted({ext for fmt in formats.FORMATS.values() for ext in fmt.extensions})
                )
            }
        ),
    )
    recording = RecordingChoice(
        queryset=Recording.objects.none(),
        required=False,
        empty_label="None: the transcript stands alone",
        label="Recording it belongs to",
        help_text="Its times then follow that recording.",
    )

    def __init__(self, *args: Any, interview: Interview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(RecordingChoice, self.fields["recording"])
        field.queryset = interview.recordings.exclude(status=RecordingStatus.UPLOADING)
        ready = [r for r in field.queryset if r.status == RecordingStatus.READY]
        if len(ready) == 1:
            self.initial.setdefault("recording", ready[0].pk)


class SpeakersForm(forms.Form):
    """One choice per speaker label (`speaker-<id>`) and a name for someone else
    (`name-<id>`), first filled with what was said or, failing that, suggested."""

    def __init__(
        self,
        *args: Any,
        speakers: Sequence[TranscriptSpeaker],
        choices: Sequence[Choice],
        suggested: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.speakers = list(speakers)
        self.suggested: set[int] = set()
        options = [(choice.value, choice.label) for choice in choices]
        for speaker in self.speakers:
            saved = value_of(speaker)
            initial = saved or suggested.get(speaker.label, "")
            if not saved and initial:
                self.suggested.add(speaker.pk)
            self.fields[f"speaker-{speaker.pk}"] = forms.ChoiceField(
                label=speaker.label, choices=options, required=False, initial=initial
            )
            self.fields[f"name-{speaker.pk}"] = forms.CharField(
                label=f"Name of “{speaker.label}”",
                required=False,
                max_length=150,
                initial=speaker.name,
                help_text="For someone else: who they are.",
            )

    def rows(self) -> list[tuple[TranscriptSpeaker, forms.BoundField, forms.BoundField, bool]]:
        return [
            (
                speaker,
                self[f"speaker-{speaker.pk}"],
                self[f"name-{speaker.pk}"],
                speaker.pk in self.suggested,
            )
            for speaker in self.speakers
        ]

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            speaker.pk: (
                self.cleaned_data.get(f"speaker-{speaker.pk}") or "",
                self.cleaned_data.get(f"name-{speaker.pk}") or ""
                if self.cleaned_data.get(f"speaker-{speaker.pk}") == OTHER
                else "",
            )
            for speaker in self.speakers
        }


class SegmentForm(forms.Form):
    """A segment's text and speaker, with the version of the segment the editor saw."""

    text = forms.CharField(
        label="What was said",
        widget=forms.Textarea(attrs={"rows": 3, "autofocus": True}),
        strip=True,
    )
    speaker = forms.ModelChoiceField(
        label="Speaker", queryset=TranscriptSpeaker.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args: Any, speakers: Sequence[tuple[TranscriptSpeaker, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["speaker"])
        field.queryset = TranscriptSpeaker.objects.filter(pk__in=[s.pk for s, _ in speakers])
        names = {s.pk: name for s, name in speakers}
        field.label_from_instance = lambda obj: names.get(obj.pk, str(obj))  # type: ignore[method-assign]
        field.empty_label = "No one named"


class OffsetForm(forms.Form):
    seconds = forms.IntegerField(
        label="The recording starts this many seconds into the call",
        help_text=(
            "0 when recording began at the kickoff; more when it began later, less than 0 "
            "when it began before."
        ),
        min_value=-86_400,
        max_value=86_400,
    )


class PointChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        point = cast(ValidationPoint, obj)
        return f"{point.label} {point.statement}"


class HighlightForm(forms.Form):
    """Words of the transcript to keep as a highlight: the lines they run over (their ids),
    the words themselves (found again in those lines), a kind and the points they bear on."""

    first = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    last = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    at = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    words = forms.CharField(
        label="The words",
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        max_length=NOTE_MAX_LENGTH,
        help_text="Word for word as the transcript has them: cut them down to what matters.",
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=[(str(kind), NoteKind(kind).label) for kind in highlights.KINDS],
        initial=NoteKind.QUOTE,
    )
    points = PointChoices(
        label="Validation points it bears on",
        queryset=ValidationPoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The summary offers it as a quote under these points first.",
    )

    def __init__(self, *args: Any, interview: Interview, with_words: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(PointChoices, self.fields["points"])
        field.queryset = interview.study.points.current().order_by("position", "pk")
        if not with_words:  # changing a highlight: its words and lines stay
            for name in ("first", "last", "at", "words"):
                del self.fields[name]
