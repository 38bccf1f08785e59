"""The exchange with qualitative analysis programs on the study page."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.core.partials import render_partial
from heard.studies.models import Study

register = template.Library()


@register.simple_tag(takes_context=True)
def study_exchange(context: Context, study: Study) -> SafeString:
    """The study page's card: the REFI-QDA project and codebook, and importing one."""
    return render_partial(context, "exchange/_study_exchange.html")
