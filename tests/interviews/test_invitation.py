"""The calendar invitations, the team's and the customer's: valid .ics files that calendars
import, whatever the names hold; the customer's carries nothing internal."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from icalendar import Calendar

from heard.interviews import scheduling
from heard.interviews.invitation import customer_invitation_filename, invitation_filename
from heard.interviews.models import TeamMember, TeamRole
from tests.support import factories
from tests.support.urls import url

pytestmark = pytest.mark.django_db

UTC = datetime.UTC

HOSTILE = (
    'Zoë "The Boss" O\'Brien; CEO, Acme\nSecond line 😀 <script>alert(1)</script> '
    "مرحبا בעולם \\ ^ caret"
)


def download(client, team, interview, name: str = "ics") -> Calendar:  # type: ignore[no-untyped-def]
    response = client.get(url(f"interviews:{name}", team, pk=interview.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_one_event_in_the_interviews_time_zone(team, owner_client, study, participant):
    interview = factories.interview(
        study,
        participant,
        starts_at=datetime.datetime(2027, 1, 15, 9, 0, tzinfo=UTC),
        time_zone="Europe/Berlin",
        length_minutes=45,
        location="https://meet.example.com/abc",
    )
    calendar = download(owner_client, team, interview)
    (event,) = calendar.events
    assert event.start == datetime.datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
    assert event.end == datetime.datetime(2027, 1, 15, 9, 45, tzinfo=UTC)
    assert str(event.start.tzinfo) == "Europe/Berlin"
    assert event.start.hour == 10
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()
    assert event["LOCATION"] == "https://meet.example.com/abc"
    assert "Nickole Smith" in event["SUMMARY"]


def test_summer_time_and_utc_interviews(team, owner_client, study, participant):
    summer = factories.interview(
        study,
        participant,
        starts_at=datetime.datetime(2027, 7, 15, 8, 0, tzinfo=UTC),
        time_zone="Europe/Berlin",
    )
    in_utc = factories.interview(
        study,
        participant,
        starts_at=datetime.datetime(2027, 7, 15, 8, 0, tzinfo=UTC),
        time_zone="UTC",
    )
    assert download(owner_client, team, summer).events[0].start.hour == 10
    utc_calendar = download(owner_client, team, in_utc)
    assert utc_calendar.events[0].start == datetime.datetime(2027, 7, 15, 8, 0, tzinfo=UTC)
    assert b"DTSTART:20270715T080000Z" in utc_calendar.to_ical()


def test_the_uid_is_stable_and_the_sequence_grows(team, owner_client, interview):
    first = download(owner_client, team, interview).events[0]
    scheduling.cancel_interview(interview)
    second = download(owner_client, team, interview).events[0]
    assert first["UID"] == second["UID"]
    assert first["UID"].startswith(f"heard-interview-{interview.pk}@")
    assert second["SEQUENCE"] == first["SEQUENCE"] + 1
    assert second["STATUS"] == "CANCELLED"
    assert first["STATUS"] == "CONFIRMED"


@override_settings(HEARD_BASE_URL="https://heard.example.org/")
def test_the_description_names_study_participant_team_and_links_back(team, owner_client, interview):
    TeamMember.objects.create(
        interview=interview, user=team.teammate, role=TeamRole.INTERVIEWER, seniority=2
    )
    TeamMember.objects.create(
        interview=interview, guest_name="Dana Levi", title="VP Product", seniority=1
    )
    event = download(owner_client, team, interview).events[0]
    description = str(event["DESCRIPTION"])
    link = f"https://heard.example.org/w/{team.workspace.slug}/interviews/{interview.pk}/"
    assert "Study: Reporting pains" in description
    assert "Participant: Nickole Smith (Head of Ops, Client Co)" in description
    assert "1. Dana Levi, VP Product — Guest\n2. Tom Teammate — Interviewer" in description
    assert link in description
    assert str(event["URL"]) == link
    assert event["UID"].endswith("@heard.example.org")


def test_attendees_and_organizer_only_where_emails_exist(team, owner_client, interview):
    TeamMember.objects.create(
        interview=interview, user=team.owner, role=TeamRole.INTERVIEWER, seniority=1
    )
    TeamMember.objects.create(interview=interview, guest_name="No Email Guest", seniority=2)
    ours = download(owner_client, team, interview).events[0]
    assert [attendee.email for attendee in ours.attendees] == [team.owner.email]
    assert ours["ORGANIZER"].email == team.owner.email
    theirs = download(owner_client, team, interview, "customer_ics").events[0]
    emails = sorted(attendee.email for attendee in theirs.attendees)
    assert emails == sorted([interview.participant.email, team.owner.email])
    assert theirs["ORGANIZER"].email == team.owner.email
    interview.participant.email = ""
    interview.participant.save()
    theirs = download(owner_client, team, interview, "customer_ics").events[0]
    assert [attendee.email for attendee in theirs.attendees] == [team.owner.email]


@override_settings(HEARD_BASE_URL="https://heard.example.org/")
def test_the_customers_invitation_carries_nothing_internal(team, owner_client, study):
    guide = factories.guide(study, title="Internal guide: probe the budget")
    person = factories.participant(team.workspace, name="Zoë Łukasiewicz", company="Fjord AS")
    interview = factories.interview(
        study,
        person,
        guide=guide,
        starts_at=datetime.datetime(2027, 1, 15, 9, 0, tzinfo=UTC),
        time_zone="Europe/Berlin",
        length_minutes=45,
        location="https://meet.example.com/abc",
    )
    TeamMember.objects.create(
        interview=interview, user=team.owner, role=TeamRole.INTERVIEWER, seniority=1
    )
    TeamMember.objects.create(
        interview=interview, guest_name="Dana Levi", title="VP Product", seniority=2
    )
    ours = download(owner_client, team, interview).events[0]
    theirs = download(owner_client, team, interview, "customer_ics").events[0]
    assert ours["UID"] != theirs["UID"]
    assert theirs["UID"].endswith("@heard.example.org")
    assert (theirs.start, theirs.end) == (ours.start, ours.end)
    assert theirs["SEQUENCE"] == ours["SEQUENCE"]
    assert str(theirs["SUMMARY"]) == f"Conversation with {team.workspace.name}"
    assert str(theirs["LOCATION"]) == "https://meet.example.com/abc"
    text = str(theirs["DESCRIPTION"])
    assert text.startswith("Thank you for taking the time to meet us, Zoë.")
    assert "When: Friday 15 January 2027, 10:00\N{EN DASH}10:45 (Europe/Berlin)" in text
    assert "Video call: https://meet.example.com/abc" in text
    assert "Who attends:\n- Zoë Łukasiewicz\n- Olivia Owner\n- Dana Levi, VP Product" in text
    raw = owner_client.get(url("interviews:customer_ics", team, pk=interview.pk)).content
    for internal in (b"heard.example.org/w/", b"Internal guide", b"Guide:", b"Study:"):
        assert internal not in raw
    assert "URL" not in theirs
    assert "Internal guide: probe the budget" in str(ours["DESCRIPTION"])
    scheduling.cancel_interview(interview)
    theirs = download(owner_client, team, interview, "customer_ics").events[0]
    assert theirs["STATUS"] == "CANCELLED"


def test_without_any_email_there_is_no_attendee_or_organizer(team, owner_client, study):
    person = factories.participant(team.workspace, email="")
    interview = factories.interview(study, person)
    event = download(owner_client, team, interview).events[0]
    assert "ATTENDEE" not in event
    assert "ORGANIZER" not in event


def test_a_hostile_name_survives_the_round_trip(team, owner_client, study):
    person = factories.participant(team.workspace, name=HOSTILE, company='Acme; Inc, "Ltd"')
    interview = factories.interview(study, person, location='Room 1; floor 2, "east"')
    TeamMember.objects.create(interview=interview, guest_name=HOSTILE, title='Boss; "big"')
    response = owner_client.get(url("interviews:ics", team, pk=interview.pk))
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    event = Calendar.from_ical(response.content).events[0]
    assert str(event["SUMMARY"]) == f'Customer interview: {HOSTILE} (Acme; Inc, "Ltd")'
    assert f"Participant: {HOSTILE}" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == 'Room 1; floor 2, "east"'
    response = owner_client.get(url("interviews:customer_ics", team, pk=interview.pk))
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    event = Calendar.from_ical(response.content).events[0]
    assert f'- {HOSTILE}\n- {HOSTILE}, Boss; "big"' in str(event["DESCRIPTION"])
    (attendee,) = event.attendees
    # Quotes and line breaks cannot stand in a calendar parameter: the rest is kept as is.
    assert attendee.params["CN"] == HOSTILE.replace('"', "'").replace("\n", " ")


def test_the_file_names_keep_letters_and_send_an_ascii_fallback(team, owner_client, study):
    day = datetime.datetime(2027, 1, 15, 9, tzinfo=UTC)
    person = factories.participant(team.workspace, name="Zoë Łukasiewicz")
    interview = factories.interview(study, person, starts_at=day)
    ours = owner_client.get(url("interviews:ics", team, pk=interview.pk))
    assert ours["Content-Disposition"] == (
        'attachment; filename="interview-2027-01-15-zoe-lukasiewicz.ics"; '
        "filename*=UTF-8''interview-2027-01-15-zo%C3%AB-%C5%82ukasiewicz.ics"
    )
    theirs = owner_client.get(url("interviews:customer_ics", team, pk=interview.pk))
    assert theirs["Content-Disposition"] == (
        'attachment; filename="invitation-2027-01-15-zoe-lukasiewicz.ics"; '
        "filename*=UTF-8''invitation-2027-01-15-zo%C3%AB-%C5%82ukasiewicz.ics"
    )
    assert customer_invitation_filename(interview) == "invitation-2027-01-15-zoë-łukasiewicz.ics"


def test_hostile_names_make_safe_file_names(team, owner_client, study):
    person = factories.participant(team.workspace, name='Zoë "x"; rm -rf / 😀\r\nمرحبا')  # noqa: RUF001
    interview = factories.interview(
        study, person, starts_at=datetime.datetime(2027, 1, 15, 9, tzinfo=UTC)
    )
    response = owner_client.get(url("interviews:ics", team, pk=interview.pk))
    disposition = response["Content-Disposition"]
    assert disposition.isascii()
    assert disposition.startswith('attachment; filename="interview-2027-01-15-zoe-x-rm-rf.ics"; ')
    assert invitation_filename(interview) == "interview-2027-01-15-zoë-x-rm-rf-مرحبا.ics"
    only_symbols = factories.participant(team.workspace, name="😀😀")
    assert invitation_filename(factories.interview(study, only_symbols)).startswith("interview-")
    spoof = factories.participant(team.workspace, name="Ana\u202eslx.exe")
    assert invitation_filename(
        factories.interview(study, spoof, starts_at=interview.starts_at)
    ) == ("interview-2027-01-15-anaslxexe.ics")


def test_observers_can_download_the_invitations(team, observer_client, interview):
    assert len(download(observer_client, team, interview).events) == 1
    assert len(download(observer_client, team, interview, "customer_ics").events) == 1
