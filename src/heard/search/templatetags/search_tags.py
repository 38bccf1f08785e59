"""Search on the pages of earlier stages: the study page's saved searches."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.core.partials import render_partial
from heard.search import saved
from heard.studies.models import Study

register = template.Library()


@register.simple_tag(takes_context=True)
def study_saved_searches(context: Context, study: Study) -> SafeString:
    """The study's saved searches, each with its matches and those new to the reader."""
    user = context["request"].user
    return render_partial(context, "search/_study_saved.html", searches=saved.counted(study, user))
