from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from heard.core import bidi, forms

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
def zone_label(moment: datetime.datetime | None) -> str:
    """The zone of a wall-clock time as people read it beside the time: its abbreviation (CET,
    EST, IST, UTC), or its offset where the zone has none (UTC+04, UTC+05:45)."""
    if moment is None or moment.tzinfo is None:
        return ""
    name = moment.tzname() or ""
    if name[:1].isalpha():
        return name
    offset = moment.utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")


@register.filter
def zoned(moment: datetime.datetime | None, format_string: str = "j M Y, H:i") -> SafeString | str:
    """A wall-clock time in `format_string` (as the `date` filter takes it) with its zone named
    beside it, "Tue 14 Jan, 14:30 CET", the zone's full name on hover: a list that mixes zones
    reads right. Give it a time on its own clock (`Interview.local_start`)."""
    if moment is None:
        return ""
    return format_html(
        '{}&nbsp;<abbr class="zone" title="{}">{}</abbr>',
        date_format(moment, format_string),
        getattr(moment.tzinfo, "key", ""),
        zone_label(moment),
    )


@register.filter
def isolated(value: str) -> str:
    """Typed text inside a line where no element can carry `dir="auto"` (an <option>'s
    label after Heard's own words): between Unicode's first-strong isolate and its pop."""
    return bidi.isolated(str(value))


@register.filter
def breakable_key(value: str) -> SafeString:
    """A key such as `tools_used_today`, escaped, that may wrap after each underscore."""
    return mark_safe(escape(value).replace("_", "_<wbr>"))


@register.simple_tag
def select_options(optgroups: Any) -> SafeString:
    """A select widget's options, written in Python (`core.forms.select_options`)."""
    return forms.select_options(optgroups)
