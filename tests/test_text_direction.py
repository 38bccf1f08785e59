"""Every box people type text in takes the direction of what is typed (dir="auto"), through
the one form renderer; text that no element can carry is isolated with Unicode's marks."""

from __future__ import annotations

import re

from django import forms

from heard.core.bidi import isolated
from heard.guides.forms import GuideForm
from heard.studies.forms import StudyForm


class Everything(forms.Form):
    line = forms.CharField()
    text = forms.CharField(widget=forms.Textarea)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search"}))
    email = forms.EmailField()
    link = forms.URLField()
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField()
    kind = forms.ChoiceField(choices=[("a", "עדי"), ("b", "Bob")])


def boxes(html: str) -> dict[str, str]:
    """Each input, textarea and option by its name or value: its tag."""
    found = {}
    for tag in re.findall(r"<(?:input|textarea|option)\b[^>]*>", html):
        key = re.search(r'(?:name|value)="([^"]*)"', tag)
        found[key.group(1) if key else tag] = tag
    return found


def test_text_boxes_take_the_direction_of_their_text():
    tags = boxes(str(Everything()))
    for name in ("line", "text", "search"):
        assert 'dir="auto"' in tags[name], name
    for name in ("email", "link", "day", "count"):
        assert "dir=" not in tags[name], name
    assert 'dir="auto"' in tags["a"]  # an option
    assert 'dir="auto"' in tags["b"]


def test_forms_with_a_bound_field_of_their_own_too():
    assert 'dir="auto"' in boxes(str(StudyForm()))["goal"]
    assert 'dir="auto"' in boxes(str(GuideForm()))["title"]


def test_text_inside_a_line_heard_writes_is_isolated():
    name = "سارة"
    assert isolated(name) == f"\u2068{name}\u2069"
    assert isolated("") == ""
