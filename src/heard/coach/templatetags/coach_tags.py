"""The coach on the pages of earlier stages: the interview page, the study page, the team
page and the workspace's settings."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.accounts.models import Membership, Role
from heard.coach import access, services
from heard.core.partials import render_partial
from heard.interviews.models import Interview
from heard.studies.models import Study

register = template.Library()


def _viewer(context: Context) -> Membership | None:
    request = context.get("request")
    return getattr(request, "membership", None)


@register.simple_tag(takes_context=True)
def interview_coach(context: Context, interview: Interview) -> SafeString | str:
    """A card leading to the interview's coach report, for those who may see it, once the
    coach has something to read."""
    viewer = _viewer(context)
    if viewer is None or not access.may_see(viewer, interview):
        return ""
    if not services.has_evidence(interview):
        return ""
    return render_partial(context, "coach/_interview_card.html", coached=interview)


@register.simple_tag(takes_context=True)
def study_coach(context: Context, study: Study) -> SafeString | str:
    viewer = _viewer(context)
    if viewer is None or viewer.role_enum is Role.OBSERVER:
        return ""
    return render_partial(context, "coach/_study_link.html", coached_study=study)


@register.simple_tag(takes_context=True)
def member_coach(context: Context, member: Membership) -> SafeString | str:
    """The link to a member's figures over time, for themself and those who see all."""
    viewer = _viewer(context)
    if viewer is None or viewer.role_enum is Role.OBSERVER or member.role_enum is Role.OBSERVER:
        return ""
    if member.user_id != viewer.user_id and not access.sees_all(viewer):
        return ""
    return render_partial(context, "coach/_member_link.html", coached=member)
