"""Summaries, findings and decisions on the pages of earlier stages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.core.partials import render_partial
from heard.interviews.models import Interview
from heard.studies.models import Study
from heard.synthesis.models import Summary
from heard.synthesis.reviews.decisions import overview

register = template.Library()


@register.simple_tag(takes_context=True)
def study_findings(context: Context, study: Study) -> SafeString:
    """The study page's card of its findings, its review and its decision log."""
    return render_partial(context, "synthesis/_study_findings.html", overview=overview(study))


@register.simple_tag
def summaries_of(interviews: Iterable[Interview]) -> dict[int, Summary]:
    """The summaries of a list of interviews, by interview, in one query."""
    return {
        summary.interview_id: summary
        for summary in Summary.objects.filter(interview__in=[iv.pk for iv in interviews])
    }


@register.simple_tag(takes_context=True)
def summary_link(
    context: Context, interview: Interview, summaries: dict[int, Summary]
) -> SafeString | str:
    """A link to the interview's summary with its status, if it has one."""
    summary = summaries.get(interview.pk)
    if summary is None:
        return ""
    return render_partial(
        context, "synthesis/_summary_link.html", interview=interview, summary=summary
    )
