"""Follow-up emails on the pages of earlier stages."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.core.partials import render_partial
from heard.followups import services
from heard.interviews.models import Interview

register = template.Library()


@register.simple_tag(takes_context=True)
def interview_followups(context: Context, interview: Interview) -> SafeString | str:
    """The interview page's follow-up card, once the call is held or a mail exists."""
    followups = services.for_interview(interview)
    if not interview.is_done and not followups:
        return ""
    return render_partial(context, "followups/_interview_card.html", followups=followups)
