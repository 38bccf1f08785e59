"""A select's options are written in Python (`core.forms.select_options`), not by a template
included per option: the HTML is what Django's own select template and Heard's option template
write, escaping and all (less the blank line after each option)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import django.forms
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe

from heard.core.forms import Choices, QuickSelect

HOSTILE = "<script>alert('x')</script> & \"quoted\""


class Flagged(forms.Select):
    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"].update({"data-note": HOSTILE, "data-on": True, "data-off": False})
        return option


class Picks(forms.Form):
    plain = forms.ChoiceField(choices=[("", "None"), ("a", "עדי"), ("b", HOSTILE)], initial="b")
    grouped = forms.ChoiceField(
        choices=[
            ("", "No guide yet"),
            (HOSTILE, [(1, "First"), (2, mark_safe("<b>Safe</b>"))]),
            ("Other", [(3, "Third")]),
        ],
        widget=Flagged(attrs={"id": "picked", "data-x": "1"}),
        initial=2,
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], initial=["x", "y"])


def as_django_writes_it(field: forms.BoundField) -> str:
    """The field's select through Django's own template, with Heard's option template."""
    own = Path(django.forms.__file__).parent / "templates/django/forms/widgets/select.html"
    widget = field.field.widget
    attrs = field.build_widget_attrs({})
    if "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)
    return Template(own.read_text()).render(Context(context))


def tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_options_are_written_as_the_templates_wrote_them():
    form = Picks()
    for name in ("plain", "grouped", "many"):
        field = form[name]
        mine = field.as_widget()
        assert tags(mine) == tags(as_django_writes_it(field)), name
    assert "&lt;script&gt;" in str(form["grouped"])
    assert "<script>" not in str(form)
    assert "<b>Safe</b>" in str(form["grouped"])


def test_prepared_choices_are_taken_as_they_are():
    field = forms.ChoiceField()
    field.choices = Choices([("", "All"), ("Group", [(1, "One")])])
    assert list(field.choices) == [("", "All"), ("Group", [(1, "One")])]
    assert list(field.widget.choices) == list(field.choices)
    assert field.valid_value("1")


CHOICES = [
    ("", "All studies"),
    (None, "Nothing"),
    (7, HOSTILE),
    ("a", "עדי"),
    (7, "The same value again: only the first is selected"),
    (HOSTILE, [(1, "First"), (2, mark_safe("<b>Safe</b>"))]),
    ("Other", [(3, "Third")]),
]


def _form(widget: type[forms.Select]) -> forms.Form:
    class Pick(forms.Form):
        one = forms.ChoiceField(choices=CHOICES, widget=widget(attrs={"id": "x", "data-y": "1"}))
        group = forms.ChoiceField(choices=CHOICES, widget=widget)
        blank = forms.ChoiceField(choices=CHOICES, widget=widget)

    return Pick(initial={"one": 7, "group": 2})


def test_a_quick_select_writes_what_django_s_select_writes():
    for bound in (False, True):
        data = {"one": "a", "group": "3", "blank": ""} if bound else None
        quick, django_s = _form(QuickSelect), _form(forms.Select)
        if data is not None:
            quick, django_s = type(quick)(data), type(django_s)(data)
        for name in ("one", "group", "blank"):
            written = tags(quick[name].as_widget())
            assert written == tags(django_s[name].as_widget()), (name, bound)
    written = str(_form(QuickSelect)["one"])
    assert written.count(' selected dir="auto"') == 1
    assert "&lt;script&gt;" in written
    assert "<script>" not in written
    assert "<b>Safe</b>" in written


def test_a_quick_select_of_a_model_choice_field_chooses_by_its_key():
    from heard.studies.models import Study

    field = forms.ModelChoiceField(queryset=Study.objects.none(), widget=QuickSelect)
    field.choices = Choices([("", "Pick a study"), (12, "Twelve"), (120, "A hundred and twenty")])

    class Pick(forms.Form):
        study = field

    written = str(Pick(initial={"study": 120})["study"])
    assert '<option value="120" selected dir="auto">A hundred and twenty</option>' in written
    assert '<option value="12" dir="auto">' in written
