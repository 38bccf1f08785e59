"""Whether the person's downloads always name participants by pseudonyms, for the pages that
offer downloads (the matrix, a summary, a transcript, the coach's figures)."""

from __future__ import annotations

from django import template
from django.template import Context

from heard.participants import pseudonyms

register = template.Library()


@register.simple_tag(takes_context=True)
def pseudonyms_forced(context: Context) -> bool:
    return pseudonyms.forced(context.get("membership"))
