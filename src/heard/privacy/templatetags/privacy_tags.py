"""Retention on the interview page: what the workspace's policy deletes when, and an owner's
hold on it; the way to the redaction page from the transcript, a line and a note."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.template import Context
from django.urls import reverse
from django.utils.safestring import SafeString

from heard.core.partials import render_partial
from heard.interviews.models import Interview
from heard.privacy import retention
from heard.privacy.forms import RetentionHoldForm
from heard.privacy.models import RetentionHold

register = template.Library()


@register.simple_tag(takes_context=True)
def interview_retention(context: Context, interview: Interview) -> SafeString | str:
    policy = retention.policy_of(interview.study.workspace)
    hold = RetentionHold.objects.filter(interview=interview).select_related("set_by").first()
    deadlines = retention.deadlines(interview, policy, hold)
    if not deadlines and hold is None:
        return ""
    membership = context.get("membership")
    can_hold = bool(membership and membership.role_enum.can_handle_participant_requests())
    return render_partial(
        context,
        "privacy/_interview_retention.html",
        retention_deadlines=deadlines,
        retention_hold=hold,
        can_hold=can_hold,
        hold_form=RetentionHoldForm(auto_id="hold-%s"),
    )


@register.simple_tag(takes_context=True)
def redact_url(context: Context, interview: Interview, **query: object) -> str:
    """The interview's redaction page (`query`: a line, a note, a selection), for those who
    may redact (researchers and owners); "" for the rest."""
    membership = context.get("membership")
    if not (membership and membership.role_enum.can_edit()):
        return ""
    url = reverse("privacy:redact", kwargs={"ws": membership.workspace.slug, "pk": interview.pk})
    asked = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(asked)}" if asked else url
