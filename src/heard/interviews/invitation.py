"""The calendar invitation (.ics) for an interview, read by Outlook, Google and Apple calendars.

Times carry the interview's own time zone with its VTIMEZONE definition, so the event lands at
the right hour for every reader and stays right across daylight-saving changes.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from icalendar import STATUS, Calendar, Event, vCalAddress

from heard.interviews.models import Interview, TeamMember, TeamRole, interviewers_of
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


def event_uid(interview: Interview) -> str:
    """The same for every download, so calendars update the event instead of adding one."""
    host = urlsplit(settings.HEARD_BASE_URL).hostname or "heard.invalid"
    return f"heard-interview-{interview.pk}@{host}"


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


def _attendees(team: list[TeamMember], interview: Interview) -> list[vCalAddress]:
    attendees = []
    participant = interview.participant
    if participant.email:
        attendees.append(
            vCalAddress.new(
                participant.email, cn=display_name(participant.name), role="REQ-PARTICIPANT"
            )
        )
    for member in team:
        if member.user is not None and member.user.email:
            attendees.append(
                vCalAddress.new(
                    member.user.email,
                    cn=display_name(member.display_name),
                    role=CALENDAR_ROLES[TeamRole(member.role)],
                )
            )
    return attendees


def build_invitation(interview: Interview) -> bytes:
    team = intro_order(interview)
    event = Event.new(
        uid=event_uid(interview),
        summary=summary(interview),
        start=interview.starts_at.astimezone(interview.zone),
        end=interview.ends_at.astimezone(interview.zone),
        location=interview.location or None,
        description=description(interview, team),
        url=interview_url(interview),
        sequence=interview.sequence,
        created=interview.created_at,
        last_modified=interview.updated_at,
        status=STATUS.CANCELLED if interview.is_cancelled else STATUS.CONFIRMED,
        organizer=_organizer(team, interview),
        attendees=_attendees(team, interview) or None,
    )
    calendar = Calendar.new(prodid=PRODID, uid=f"calendar-{event_uid(interview)}")
    calendar.add_component(event)
    # A VTIMEZONE covering the event (a year each side keeps the file small).
    day = interview.local_start.date()
    calendar.add_missing_timezones(
        first_date=day - timedelta(days=366), last_date=day + timedelta(days=366)
    )
    return calendar.to_ical()


def invitation_filename(interview: Interview) -> str:
    return file_name(interview, "interview", "ics")
