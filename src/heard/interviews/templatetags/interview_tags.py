"""Interviews on the pages of earlier stages: a study's and a participant's interviews, a
guide's hard copy, the consent a participant gave; and the interview page's consent card."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.core.partials import render_partial
from heard.guides.models import Guide
from heard.guides.services import GuidePlan
from heard.interviews.consent import views as consent
from heard.interviews.listings import study_card
from heard.interviews.models import Interview
from heard.interviews.printing import PrintedInterview, printed_interview
from heard.participants.models import Participant
from heard.studies.models import Study

register = template.Library()


@register.simple_tag(takes_context=True)
def study_interviews(context: Context, study: Study) -> SafeString:
    """The study page's card of its interviews: the next ones to come and the latest past,
    each with its readiness, and how many there are in all (the interview list holds them)."""
    return render_partial(
        context, "interviews/_study_interviews.html", **study_card(context["workspace"], study)
    )


@register.simple_tag
def interview_on_print(guide: Guide, raw_pk: str, plan: GuidePlan) -> PrintedInterview | None:
    """The interview named in a hard copy's address (`?interview=pk`), its blanks filled in."""
    return printed_interview(guide, raw_pk, plan)


@register.simple_tag(takes_context=True)
def interview_consent(context: Context, interview: Interview) -> SafeString:
    """The interview page's consent card: the answer that holds on each topic, and every
    answer."""
    return render_partial(
        context, "interviews/consent/_card.html", **consent.card_context(interview)
    )


@register.simple_tag(takes_context=True)
def participant_consents(context: Context, participant: Participant) -> SafeString:
    """The participant page's list of every consent they gave, interview by interview."""
    return render_partial(
        context,
        "interviews/consent/_participant_consents.html",
        **consent.participant_context(participant),
    )


@register.simple_tag(takes_context=True)
def participant_interviews(context: Context, participant: Participant) -> SafeString:
    """The participant page's card of their interviews, newest first."""
    interviews = participant.interviews.select_related("study").order_by("-starts_at", "-id")
    return render_partial(context, "interviews/_participant_interviews.html", interviews=interviews)
