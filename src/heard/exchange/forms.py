from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from heard.exchange.archive import MAX_UPLOAD


class UploadForm(forms.Form):
    file = forms.FileField(
        label="REFI-QDA project (.qdpx)",
        help_text="Export the project from ATLAS.ti, NVivo, MAXQDA or QualCoder as a REFI-QDA "
        "project: File → Export → REFI-QDA Project (.qdpx). Nothing changes until you have "
        "checked what it would add.",
        widget=forms.ClearableFileInput(attrs={"accept": ".qdpx,application/zip"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        size = upload.size or 0
        if size > MAX_UPLOAD:
            raise forms.ValidationError(
                f"This file is {filesizeformat(size)}; the most an import takes is "
                f"{filesizeformat(MAX_UPLOAD)}."
            )
        return upload
