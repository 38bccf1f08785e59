"""What a page or a label says as a person reads it: without its tags, and without the marks
that isolate typed text's direction (`dir="auto"` spans, Unicode's first-strong isolates)."""

from __future__ import annotations

from django.utils.html import strip_tags

from heard.core.bidi import FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE


def read(content: str | bytes) -> str:
    text = content.decode() if isinstance(content, bytes) else content
    return strip_tags(text).replace(FIRST_STRONG_ISOLATE, "").replace(POP_DIRECTIONAL_ISOLATE, "")
