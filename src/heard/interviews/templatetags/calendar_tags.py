"""The calendar feed on the person's own account page (`accounts/password_change.html`)."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.safestring import SafeString

from heard.accounts.models import User
from heard.core.partials import render_partial
from heard.interviews.calendar import services

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_feed_card(context: Context) -> SafeString:
    """Whether the person's calendar feed is on, and the way to its page."""
    user = context.get("user")
    feed = services.live_feed(user) if isinstance(user, User) else None
    return render_partial(context, "interviews/calendar/_account_card.html", feed=feed)
