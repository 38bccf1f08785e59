"""Summaries, findings and decisions on the pages of earlier stages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import template
from django.forms import Form
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


@register.filter
def of_finding(forms: Mapping[int, Form] | None, finding_pk: int) -> Form | None:
    """The form of one finding among the board's (`challenge_forms|of_finding:pk`); none
    when the board is drawn as its poll sends it."""
    return forms.get(finding_pk) if forms else None
