"""Texts with fields in braces that Heard fills in: `Hello {first_name}`.

A field is a name in single braces; a doubled brace (`{{` or `}}`) stands for the brace itself.
Templates are checked when they are saved, so that a typo is an error on the form rather than
a stray brace in a customer's inbox.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from django import forms

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")


class MalformedTemplate(ValueError):
    """A brace that opens or closes nothing."""


def field_names(text: str) -> list[str]:
    """The fields a text uses, in order; raises MalformedTemplate on a stray brace."""
    names = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in {"{{", "}}"}:
            continue
        if match.group(1) is None:
            raise MalformedTemplate(f"stray “{token}” at character {match.start() + 1}")
        names.append(match.group(1))
    return names


def check_fields(text: str, allowed: Collection[str]) -> str:
    """The text, or a form error that says which brace or which field is wrong."""
    example = "{" + next(iter(allowed)) + "}"
    try:
        names = field_names(text)
    except MalformedTemplate:
        raise forms.ValidationError(
            f"A brace is not closed. Write fields as {example}; "
            "double a brace ({{ or }}) to show it as is."
        ) from None
    unknown = sorted({name for name in names if name not in allowed})
    if unknown:
        raise forms.ValidationError(
            f"Unknown field{'s' if len(unknown) > 1 else ''}: "
            + ", ".join("{" + name + "}" for name in unknown)
            + ". Use "
            + ", ".join("{" + name + "}" for name in allowed)
            + "."
        )
    return text


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with its fields filled in. Unknown fields and stray braces stay as typed."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in {"{{", "}}"}:
            return token[0]
        name = match.group(1)
        return values.get(name, token) if name is not None else token

    return _TOKEN.sub(replace, text)
