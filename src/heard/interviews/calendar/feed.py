"""A person's feed as one iCalendar file (RFC 5545, with RFC 7986's calendar name and refresh
interval), which calendar apps subscribe to.

Each interview is the team's event of its invitation (`invitation.team_event`): the same UID,
SEQUENCE, summary, description, organizer and attendees, times in the interview's own zone
with a VTIMEZONE, STATUS:CANCELLED for a cancelled one. DTSTAMP is the interview's last change
(LAST-MODIFIED), as RFC 5545 reads DTSTAMP in a file without METHOD, so that the same feed
is the same bytes until something in it changes, and its ETag holds between polls.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, vDuration, vText

from heard.accounts.models import User
from heard.interviews.invitation import PRODID, add_time_zones, team_event
from heard.interviews.models import Interview

# How often calendar apps are asked to fetch the feed again.
REFRESH = timedelta(hours=1)


def calendar_name(user: User) -> str:
    return f"Heard: {user.name or user.email}"


def build_feed(user: User, interviews: list[Interview]) -> bytes:
    """`user`'s feed holding `interviews` (as `services.feed_interviews` reads them)."""
    host = urlsplit(settings.HEARD_BASE_URL).hostname or "heard.invalid"
    calendar = Calendar.new(prodid=PRODID, uid=f"heard-calendar-{user.pk}@{host}")
    # Added as text: icalendar leaves these properties unescaped otherwise.
    calendar.add("NAME", vText(calendar_name(user)))
    calendar.add("X-WR-CALNAME", vText(calendar_name(user)))
    calendar.add("X-WR-CALDESC", vText("Customer interviews you are on the team of, from Heard."))
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    for interview in interviews:
        calendar.add_component(
            team_event(interview, list(interview.team.all()), stamp=interview.updated_at)
        )
    if interviews:
        days = [interview.local_start.date() for interview in interviews]
        add_time_zones(calendar, min(days), max(days))
    return calendar.to_ical()


def etag_of(content: bytes) -> str:
    """A strong ETag: the same bytes, the same tag."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
