"""The plain form that uploads a recording whole, for browsers without JavaScript."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

CONSENT_LABEL = "The participant agreed to be recorded"
CONSENT_HELP = (
    "The call recorded no answer on consent. Tick this to confirm they agreed; "
    "Heard notes that you did, and when."
)


class RecordingForm(forms.Form):
    file = forms.FileField(
        label="Recording",
        help_text=(
            "Audio or video: MP3, M4A, WAV, FLAC, Ogg or Opus, WebM, MP4, MOV or MKV. "
            "Without JavaScript, files up to "
            f"{filesizeformat(settings.HEARD_RECORDING_FORM_MAX_BYTES)}; with it, up to "
            f"{filesizeformat(settings.HEARD_RECORDING_MAX_BYTES)}, and an upload cut off "
            "resumes where it stopped."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*,video/*,.mkv,.opus"}),
    )
    consent = forms.BooleanField(label=CONSENT_LABEL, help_text=CONSENT_HELP, required=False)

    def __init__(self, *args: object, ask_consent: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not ask_consent:
            del self.fields["consent"]
