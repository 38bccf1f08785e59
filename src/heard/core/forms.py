from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import DateTimeBaseInput
from django.template.loader import render_to_string
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe

# The kinds of input that hold text people type (dates, numbers, emails and links do not).
TYPED_TEXT = ("text", "search")
# Heard's copy of Django's option template, which `select_options` writes without the template.
SELECT_OPTION = "django/forms/widgets/select_option.html"


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


class Choices(BaseChoiceIterator):
    """Choices already in the shape Django gives them, `(value, label)` or `(group, [(value,
    label), …])`, which a field and its widget then take as they are: Django otherwise walks
    every choice again at each assignment, thousands of them in the schedule form."""

    def __init__(self, choices: Sequence[Any]) -> None:
        self.choices = choices

    def __iter__(self) -> Any:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


# What `html.escape` replaces: text without any of it is written as it is.
SPECIAL = re.compile("[&<>\"']")


def _escaped(value: Any) -> str:
    """`conditional_escape` without its wrapper for lazy text, which costs more than the
    escaping itself when a select writes thousands of options; a number, or text with
    nothing to escape, is written as it is (one scan, not `html.escape`'s five)."""
    if type(value) is int:
        return str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    text = str(value)
    return html.escape(text) if SPECIAL.search(text) else text


def attributes(attrs: Mapping[str, Any]) -> str:
    """HTML attributes as Django's `attrs.html` writes them: a True value as a bare name, a
    False one left out, the rest escaped."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A select of many plain options (every study of a workspace, every time zone): its
    options are written straight from its choices (`QuickOptions`), never made into
    Django's dictionary per option first, which costs more than writing them. The page is the
    one Django's `Select` makes (`tests/test_select_options.py` holds them side by side); a select
    whose options need attributes of their own keeps Django's way (`GuideSelect`)."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = forms.Widget.get_context(self, name, value, attrs)  # not ChoiceWidget's
        context["widget"]["optgroups"] = QuickOptions(self.choices, context["widget"]["value"])
        return context


class QuickOptions:
    """A `QuickSelect`'s options: its choices and the values chosen (as text)."""

    def __init__(self, choices: Iterable[Any], values: Sequence[str]) -> None:
        self.choices = choices
        self.values = set(values)

    def html(self) -> str:
        # As Django's `Select.optgroups`: a value of None is "", and only the first option
        # whose value is chosen is selected. One loop, no function made per call, and none
        # called per option: either made the schedule form two to three times slower in a
        # process started as a script (`bench/plan_pages.py`), so the option's markup is
        # written here and in `select_options` alike.
        parts: list[str] = []
        chosen = False
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, list | tuple)
            if grouped:
                parts.append(f'\n  <optgroup label="{_escaped(group_value)}">')
            for value, label in group_label if grouped else ((group_value, group_label),):
                text = "" if value is None else str(value)
                selected = not chosen and text in self.values
                chosen = chosen or selected
                parts.append(
                    f'\n  <option value="{_escaped(text)}"{" selected" if selected else ""}'
                    f' dir="auto">{_escaped(label)}</option>'
                )
            if grouped:
                parts.append("\n  </optgroup>")
        return "".join(parts)


def select_options(
    optgroups: Iterable[tuple[Any, list[dict[str, Any]], int]] | QuickOptions,
) -> SafeString:
    """A select's options (in their groups) as Django's `select.html` and Heard's option
    template write them, in Python: a template included per option costs a tenth of a
    millisecond, and a form may offer thousands (the schedule form: every study, every guide,
    every time zone)."""
    if isinstance(optgroups, QuickOptions):
        return mark_safe(optgroups.html())  # every part is escaped there
    parts = []
    for group_name, options, _ in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escaped(group_name)}">')
        for option in options:
            if option["template_name"] == SELECT_OPTION:
                parts.append(
                    f'\n  <option value="{_escaped(option["value"])}"'
                    f'{attributes(option["attrs"])} dir="auto">{_escaped(option["label"])}</option>'
                )
            else:
                parts.append("\n  " + render_to_string(option["template_name"], {"widget": option}))
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # every part is escaped above
