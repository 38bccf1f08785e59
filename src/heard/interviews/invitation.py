"""The calendar invitations (.ics) of an interview, read by Outlook, Google and Apple calendars.

Two of them, as two events: the team's, for the team's calendars (the study, the guide, the
team in intro order, a link back to Heard; only the team attends), and the customer's, which
carries only what the customer may read (why we meet, when, where, who attends) and invites
the customer along with the team. A calendar that sends invitations to an event's attendees
therefore never sends the team's notes to the customer.

Times carry the interview's own time zone with its VTIMEZONE definition, so the event lands at
the right hour for every reader and stays right across daylight-saving changes.

The team's event is also what each team member's calendar feed holds (`calendar/feed.py`,
through `team_event` and `add_time_zones`): the same UID, SEQUENCE, summary, description and
people, so a calendar that has both the invitation and the feed has one event.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from icalendar import STATUS, Calendar, Event, vCalAddress

from heard.interviews.models import Interview, TeamMember, TeamRole, interviewers_of
from heard.interviews.purpose import render_purpose
from heard.interviews.services import file_name, intro_order

PRODID = "-//Heard//Customer interviews//EN"

# Calendar roles of the people on the call (RFC 5545 ROLE parameter).
CALENDAR_ROLES = {
    TeamRole.INTERVIEWER: "CHAIR",
    TeamRole.NOTETAKER: "REQ-PARTICIPANT",
    TeamRole.GUEST: "OPT-PARTICIPANT",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def interview_url(interview: Interview) -> str:
    path = reverse(
        "interviews:detail", kwargs={"ws": interview.study.workspace.slug, "pk": interview.pk}
    )
    return settings.HEARD_BASE_URL.rstrip("/") + path


def event_uid(interview: Interview, customer: bool = False) -> str:
    """The same for every download, so calendars update the event instead of adding one; the
    customer's event is another event, so a calendar holding both keeps both."""
    host = urlsplit(settings.HEARD_BASE_URL).hostname or "heard.invalid"
    return f"heard-interview-{interview.pk}{'-customer' if customer else ''}@{host}"


def display_name(name: str) -> str:
    """A name as a calendar shows it beside an address (CN parameter).

    Calendar parameters cannot hold double quotes or line breaks except through an escape
    (RFC 6868) that several calendar apps show literally, so those become plain characters.
    """
    return _CONTROL.sub(" ", name).replace('"', "'").strip()


def summary(interview: Interview) -> str:
    participant = interview.participant
    who = f"{participant.name} ({participant.company})" if participant.company else participant.name
    return f"Customer interview: {who}"


def description(interview: Interview, team: list[TeamMember]) -> str:
    participant = interview.participant
    lines = [f"Study: {interview.study.title}"]
    about = ", ".join(part for part in (participant.role, participant.company) if part)
    lines.append(f"Participant: {participant.name}" + (f" ({about})" if about else ""))
    if interview.guide:
        lines.append(f"Guide: {interview.guide.title}")
    lines.append(f"{interview.get_mode_display()}: {interview.location or 'to be confirmed'}")
    if team:
        lines.append("")
        lines.append("Team, in intro order (most senior first):")
        lines.extend(
            f"{number}. {member.introduction} — {member.get_role_display()}"
            for number, member in enumerate(team, start=1)
        )
    lines.append("")
    lines.append(f"Open in Heard: {interview_url(interview)}")
    return "\n".join(lines)


def _organizer(team: list[TeamMember], interview: Interview) -> vCalAddress | None:
    lead = next(
        (m.user for m in interviewers_of(team) if m.user is not None),
        interview.created_by,
    )
    if lead is None or not lead.email:
        return None
    return vCalAddress.new(lead.email, cn=display_name(lead.name or lead.email))


def _attendee(email: str, name: str, role: str) -> vCalAddress:
    return vCalAddress.new(email, cn=display_name(name), role=role)


def _team_attendees(team: list[TeamMember]) -> list[vCalAddress]:
    return [
        _attendee(member.user.email, member.display_name, CALENDAR_ROLES[TeamRole(member.role)])
        for member in team
        if member.user is not None and member.user.email
    ]


def _customer_attendees(team: list[TeamMember], interview: Interview) -> list[vCalAddress]:
    participant = interview.participant
    customer = (
        [_attendee(participant.email, participant.name, "REQ-PARTICIPANT")]
        if participant.email
        else []
    )
    return customer + _team_attendees(team)


def customer_summary(interview: Interview) -> str:
    return f"Conversation with {interview.study.workspace.name}"


def customer_description(interview: Interview, team: list[TeamMember]) -> str:
    """What the customer reads: why we meet, when, where and who attends; nothing else."""
    start, end = interview.local_start, interview.local_end
    lines = [
        render_purpose(interview),
        "",
        f"When: {start:%A} {start.day} {start:%B %Y}, {start:%H:%M}\N{EN DASH}{end:%H:%M} "
        f"({interview.time_zone})",
        f"{interview.get_mode_display()}: {interview.location or 'to be confirmed'}",
        "",
        "Who attends:",
        f"- {interview.participant.name}",
    ]
    lines.extend(f"- {member.introduction}" for member in team)
    return "\n".join(lines)


def _event(
    interview: Interview,
    team: list[TeamMember],
    *,
    customer: bool,
    summary: str,
    description: str,
    attendees: list[vCalAddress],
    url: str | None = None,
    stamp: datetime | None = None,
) -> Event:
    return Event.new(
        uid=event_uid(interview, customer),
        stamp=stamp,
        summary=summary,
        start=interview.starts_at.astimezone(interview.zone),
        end=interview.ends_at.astimezone(interview.zone),
        location=interview.location or None,
        description=description,
        url=url,
        sequence=interview.sequence,
        created=interview.created_at,
        last_modified=interview.updated_at,
        status=STATUS.CANCELLED if interview.is_cancelled else STATUS.CONFIRMED,
        organizer=_organizer(team, interview),
        attendees=attendees or None,
    )


def add_time_zones(calendar: Calendar, first_day: date, last_day: date) -> None:
    """A VTIMEZONE for each zone the calendar's events name, covering these days and a year
    each side (enough for any reader, and it keeps the file small)."""
    calendar.add_missing_timezones(
        first_date=first_day - timedelta(days=366), last_date=last_day + timedelta(days=366)
    )


def _calendar(interview: Interview, event: Event) -> bytes:
    calendar = Calendar.new(prodid=PRODID, uid=f"calendar-{event['UID']}")
    calendar.add_component(event)
    day = interview.local_start.date()
    add_time_zones(calendar, day, day)
    return calendar.to_ical()


def team_event(
    interview: Interview, team: list[TeamMember], *, stamp: datetime | None = None
) -> Event:
    """The team's event of `interview`, `team` in intro order (`intro_order`). `stamp`, its
    DTSTAMP: the time of the download when left out."""
    return _event(
        interview,
        team,
        customer=False,
        summary=summary(interview),
        description=description(interview, team),
        attendees=_team_attendees(team),
        url=interview_url(interview),
        stamp=stamp,
    )


def build_invitation(interview: Interview) -> bytes:
    """The team's invitation: everything the team needs, and only the team attends."""
    return _calendar(interview, team_event(interview, intro_order(interview)))


def build_customer_invitation(interview: Interview) -> bytes:
    """The customer's invitation: no study, guide, notes on the team or address inside Heard."""
    team = intro_order(interview)
    event = _event(
        interview,
        team,
        customer=True,
        summary=customer_summary(interview),
        description=customer_description(interview, team),
        attendees=_customer_attendees(team, interview),
    )
    return _calendar(interview, event)


def invitation_filename(interview: Interview) -> str:
    return file_name(interview, "interview", "ics")


def customer_invitation_filename(interview: Interview) -> str:
    return file_name(interview, "invitation", "ics")
