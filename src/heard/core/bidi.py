"""Typed text inside a line Heard writes, where no element can carry `dir="auto"`: the text of
an <option>, a choice's label built in Python, a message. Unicode's first-strong isolate
gives it the direction of its own script there, so "VP1: הם מבקשים…" keeps its Hebrew
right to left and its full stop where it belongs. In HTML proper, a <span dir="auto"> does
the same job.

A label that starts with typed text needs none (its option says dir="auto"), and must not
start with an isolate: choosing an option by typing its first letters would miss it."""

from __future__ import annotations

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolated(text: str) -> str:
    """`text` between a first-strong isolate and its pop: a direction of its own."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}" if text else text
