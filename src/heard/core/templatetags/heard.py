from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def percent_of(part: int | None, whole: int | None) -> int:
    """Whole-number percentage, 0 when there is nothing to count."""
    if not whole:
        return 0
    return round(100 * (part or 0) / whole)


@register.filter
def round_to(value: int, step: int) -> int:
    """Round to a multiple of `step` (the meters have a class per 10%; CSP forbids inline styles)."""
    return int(round(value / step) * step)


@register.filter
def minutes(value: int | None) -> str:
    value = value or 0
    return f"{value} min" if value < 60 else f"{value // 60} h {value % 60:02d} min"


@register.filter
def breakable_key(value: str) -> SafeString:
    """A key such as `tools_used_today`, escaped, that may wrap after each underscore."""
    return mark_safe(escape(value).replace("_", "_<wbr>"))
