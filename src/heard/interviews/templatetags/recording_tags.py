"""Recordings on the interview page."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.core.partials import render_partial
from heard.interviews.models import Interview
from heard.interviews.recordings.views import card_context

register = template.Library()


@register.simple_tag(takes_context=True)
def interview_recordings(context: Context, interview: Interview) -> SafeString:
    """The interview page's recordings card: the list, the player and the upload form."""
    return render_partial(context, "interviews/recordings/_card.html", **card_context(interview))
