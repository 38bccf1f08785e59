"""The webhooks on the pages of earlier stages: the workspace's settings link to them."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.accounts.access import allows
from heard.core.partials import render_partial
from heard.webhooks.access import NEED
from heard.webhooks.models import Webhook

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_webhooks(context: Context) -> SafeString | str:
    """A line leading to the workspace's webhooks, for those who manage them."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None or not allows(membership.role_enum, NEED):
        return ""
    webhooks = Webhook.objects.filter(workspace_id=membership.workspace_id)
    return render_partial(
        context,
        "webhooks/_settings_link.html",
        webhook_count=webhooks.count(),
        active_webhooks=webhooks.filter(active=True).count(),
    )
