"""Transcripts on the interview page."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.core.partials import render_partial
from heard.interviews.models import Interview
from heard.interviews.transcripts.views import card_context

register = template.Library()


@register.simple_tag(takes_context=True)
def interview_transcripts(context: Context, interview: Interview) -> SafeString:
    """The interview page's transcripts card: each transcript and its progress, transcribing
    a recording, importing a file, and who each speaker is."""
    return render_partial(context, "interviews/transcripts/_card.html", **card_context(interview))
