from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import DateTimeBaseInput

# The kinds of input that hold text people type (dates, numbers, emails and links do not).
TYPED_TEXT = ("text", "search")


def takes_typed_text(widget: forms.Widget) -> bool:
    if isinstance(widget, forms.Textarea):
        return True
    if not isinstance(widget, forms.TextInput) or isinstance(widget, DateTimeBaseInput):
        return False
    return widget.attrs.get("type", widget.input_type) in TYPED_TEXT


class HeardBoundField(BoundField):
    """A field whose text box takes its direction from what is typed in it (dir="auto"):
    Hebrew or Arabic runs right to left, with a mixed line's full stop where it belongs."""

    def build_widget_attrs(self, attrs: Any, widget: forms.Widget | None = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        if takes_typed_text(widget or self.field.widget):
            attrs.setdefault("dir", "auto")
        return attrs


class HeardFormRenderer(TemplatesSetting):
    """Renders every form with Heard's field markup: label, input, help, errors beside it;
    text boxes with the direction of their text."""

    form_template_name = "core/form.html"
    field_template_name = "core/field.html"
    bound_field_class = HeardBoundField
