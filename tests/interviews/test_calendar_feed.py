"""A person's calendar feed, as a calendar app reads it: the interviews they are on the team
of in their workspaces, each the same event as the team's invitation, times right in every
zone and across a change of the clocks, changes carried by SEQUENCE, 304 while nothing
changed."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from heard.accounts import services as accounts
from heard.accounts.models import Membership, Role, User
from heard.interviews import scheduling
from heard.interviews.calendar import services as calendar
from heard.interviews.models import CalendarFeed, Interview, InterviewStatus, TeamMember, TeamRole
from heard.participants.models import Participant
from heard.privacy.erasure import erase
from heard.studies.models import Study
from tests.support import factories
from tests.support.personas import Team
from tests.support.urls import url

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
FEED_TYPE = "text/calendar; charset=utf-8"


def subscribe(user: User) -> str:
    """A live address for `user`: its secret."""
    _feed, token = calendar.new_feed(user, None)
    return token


def fetch(token: str, **headers: str):  # type: ignore[no-untyped-def]
    """The feed as a calendar app asks for it: no session."""
    return Client().get(reverse("calendar:feed", kwargs={"token": token}), headers=headers)


def read(token: str) -> Calendar:
    response = fetch(token)
    assert response.status_code == 200
    assert response["Content-Type"] == FEED_TYPE
    return Calendar.from_ical(response.content)


def events_by_uid(calendar_file: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar_file.events}


def on_team(interview: Interview, user: User, role: str = TeamRole.INTERVIEWER) -> TeamMember:
    return TeamMember.objects.create(interview=interview, user=user, role=role)


def booked(study: Study, participant: Participant, team: list[User], **kwargs: object) -> Interview:
    interview = factories.interview(study, participant, **kwargs)
    for user in team:
        on_team(interview, user)
    return interview


def text_of(value: object) -> str:
    """A TEXT value as RFC 5545 reads it (icalendar leaves the calendar's name escaped)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(value))


def next_clock_change(zone: str) -> datetime.date:
    """The first day, from a week ahead, whose noon is on another offset than the day
    before's: the tests keep working whatever day they run."""
    tz = ZoneInfo(zone)
    day = timezone.now().date() + datetime.timedelta(days=7)
    while True:
        following = day + datetime.timedelta(days=1)
        noon, next_noon = (
            datetime.datetime.combine(d, datetime.time(12), tzinfo=tz) for d in (day, following)
        )
        if noon.utcoffset() != next_noon.utcoffset():
            return following
        day = following


def test_it_holds_the_interviews_of_their_teams_in_all_their_workspaces(
    team: Team, study, participant
):
    soon = timezone.now() + datetime.timedelta(days=3)
    theirs = booked(study, participant, [team.owner], starts_at=soon)
    not_theirs = booked(study, participant, [team.teammate], starts_at=soon)
    # The owner is a member of a second workspace too, and on a team there.
    accounts.add_member(team.other_workspace, team.owner, Role.RESEARCHER)
    elsewhere = booked(
        factories.study(team.other_workspace),
        factories.participant(team.other_workspace),
        [team.owner, team.outsider],
        starts_at=soon,
    )
    long_ago = booked(
        study, participant, [team.owner], starts_at=timezone.now() - datetime.timedelta(days=95)
    )
    recently = booked(
        study, participant, [team.owner], starts_at=timezone.now() - datetime.timedelta(days=85)
    )
    owners = events_by_uid(read(subscribe(team.owner)))
    uids = {uid.split("@")[0] for uid in owners}
    assert uids == {f"heard-interview-{i.pk}" for i in (theirs, elsewhere, recently)}
    assert f"heard-interview-{not_theirs.pk}" not in uids
    assert f"heard-interview-{long_ago.pk}" not in uids
    teammates = events_by_uid(read(subscribe(team.teammate)))
    assert {uid.split("@")[0] for uid in teammates} == {f"heard-interview-{not_theirs.pk}"}


def test_the_event_is_the_team_invitations_event(team: Team, owner_client, interview):
    on_team(interview, team.owner)
    on_team(interview, team.teammate, TeamRole.NOTETAKER)
    TeamMember.objects.create(interview=interview, guest_name="Dana Levi", title="VP Product")
    response = owner_client.get(url("interviews:ics", team, pk=interview.pk))
    (invited,) = Calendar.from_ical(response.content).events
    (fed,) = read(subscribe(team.owner)).events
    for name in (
        "UID",
        "SEQUENCE",
        "SUMMARY",
        "DESCRIPTION",
        "LOCATION",
        "URL",
        "STATUS",
        "LAST-MODIFIED",
        "CREATED",
    ):
        assert fed[name] == invited[name], name
    assert (fed.start, fed.end) == (invited.start, invited.end)
    assert fed["ORGANIZER"].email == invited["ORGANIZER"].email == team.owner.email
    assert [a.email for a in fed.attendees] == [a.email for a in invited.attendees]
    assert [a.email for a in fed.attendees] == [team.owner.email, team.teammate.email]
    # DTSTAMP is the last change, so that the same feed is the same bytes between polls.
    assert fed["DTSTAMP"].dt == interview.updated_at.replace(microsecond=0)


@override_settings(HEARD_BASE_URL="https://heard.example.org/")
def test_the_description_links_back_and_never_gives_the_participants_email_or_phone(
    team: Team, study
):
    person = factories.participant(
        team.workspace,
        name="Zoë Łukasiewicz",
        email="zoe@fjord.example",
        company="Fjord AS",
        profile={"phone": "+47 555 01 234"},
    )
    interview = booked(study, person, [team.owner], location="https://meet.example.com/xyz")
    response = fetch(subscribe(team.owner))
    (event,) = Calendar.from_ical(response.content).events
    description = str(event["DESCRIPTION"])
    assert "Study: Reporting pains" in description
    link = f"https://heard.example.org/w/{team.workspace.slug}/interviews/{interview.pk}/"
    assert f"Open in Heard: {link}" in description
    assert str(event["URL"]) == link
    assert event["UID"] == f"heard-interview-{interview.pk}@heard.example.org"
    assert b"zoe@fjord.example" not in response.content
    assert b"555" not in response.content


def test_times_are_right_across_a_change_of_the_clocks(team: Team, study, participant):
    change = next_clock_change("Europe/Berlin")
    before_day = change - datetime.timedelta(days=1)
    berlin = ZoneInfo("Europe/Berlin")
    before = booked(
        study,
        participant,
        [team.owner],
        starts_at=datetime.datetime.combine(before_day, datetime.time(10), tzinfo=berlin),
        time_zone="Europe/Berlin",
    )
    after = booked(
        study,
        participant,
        [team.owner],
        starts_at=datetime.datetime.combine(change, datetime.time(10), tzinfo=berlin),
        time_zone="Europe/Berlin",
    )
    feed = read(subscribe(team.owner))
    events = events_by_uid(feed)
    offsets = set()
    for interview in (before, after):
        interview.refresh_from_db()
        event = events[f"heard-interview-{interview.pk}@127.0.0.1"]
        assert event.start.astimezone(UTC) == interview.starts_at
        assert event.end.astimezone(UTC) == interview.ends_at
        assert (event.start.hour, event.start.minute) == (10, 0)
        offsets.add(interview.starts_at.hour)  # in UTC
        # The file's own VTIMEZONE, read without the zone database, gives the same instant.
        assert f"DTSTART;TZID=Europe/Berlin:{interview.local_start:%Y%m%dT%H%M%S}" in (
            feed.to_ical().decode()
        )
    assert len(offsets) == 2, "the two calls are 10:00 on either side of the change"
    (vtimezone,) = feed.timezones
    own = vtimezone.to_tz(lookup_tzid=False)
    for interview in (before, after):
        wall = interview.local_start.replace(tzinfo=None)
        assert wall.replace(tzinfo=own).astimezone(UTC) == interview.starts_at


def test_an_interview_in_another_zone_and_one_in_utc(team: Team, study, participant):
    start = (timezone.now() + datetime.timedelta(days=10)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    new_york = booked(
        study, participant, [team.owner], starts_at=start, time_zone="America/New_York"
    )
    kolkata = booked(study, participant, [team.owner], starts_at=start, time_zone="Asia/Kolkata")
    in_utc = booked(study, participant, [team.owner], starts_at=start, time_zone="UTC")
    feed = read(subscribe(team.owner))
    events = events_by_uid(feed)
    for interview in (new_york, kolkata, in_utc):
        event = events[f"heard-interview-{interview.pk}@127.0.0.1"]
        assert event.start.astimezone(UTC) == start
        assert event.end.astimezone(UTC) == start + datetime.timedelta(minutes=45)
    assert str(events[f"heard-interview-{kolkata.pk}@127.0.0.1"].start.tzinfo) == "Asia/Kolkata"
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z".encode() in feed.to_ical()
    assert sorted(tz.tz_name for tz in feed.timezones) == ["America/New_York", "Asia/Kolkata"]
    assert feed.get_missing_tzids() == set()


def test_a_reschedule_raises_the_sequence_and_a_cancellation_is_kept(team: Team, interview):
    on_team(interview, team.owner)
    token = subscribe(team.owner)
    first = fetch(token)
    (before,) = Calendar.from_ical(first.content).events
    interview.starts_at += datetime.timedelta(hours=2)
    scheduling.save_changes(interview)
    second = fetch(token)
    (moved,) = Calendar.from_ical(second.content).events
    assert moved["SEQUENCE"] == before["SEQUENCE"] + 1
    assert moved.start == before.start + datetime.timedelta(hours=2)
    assert moved["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt
    assert second["ETag"] != first["ETag"]
    assert moved["STATUS"] == "CONFIRMED"

    scheduling.cancel_interview(interview)
    (cancelled,) = read(token).events
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] == moved["SEQUENCE"] + 1
    assert cancelled["UID"] == before["UID"]


def test_a_held_interview_is_confirmed(team: Team, interview):
    on_team(interview, team.owner)
    Interview.objects.filter(pk=interview.pk).update(status=InterviewStatus.DONE)
    (event,) = read(subscribe(team.owner)).events
    assert event["STATUS"] == "CONFIRMED"


def test_renaming_the_participant_retitles_the_event_with_a_newer_sequence(team: Team, interview):
    on_team(interview, team.owner)
    token = subscribe(team.owner)
    (before,) = read(token).events
    person = interview.participant
    person.role = "Head of Finance"  # not in the title: the same event
    person.save()
    (same,) = read(token).events
    assert same["SEQUENCE"] == before["SEQUENCE"]
    person.company = "New Name Ltd"
    person.save()
    (after,) = read(token).events
    assert "New Name Ltd" in str(after["SUMMARY"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1


def test_erasing_the_participant_cancels_with_a_newer_sequence(team: Team, interview):
    on_team(interview, team.owner)
    token = subscribe(team.owner)
    (before,) = read(token).events
    erase(interview.participant, team.owner)
    (after,) = read(token).events
    assert after["STATUS"] == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert "Nickole" not in str(after["SUMMARY"]) + str(after["DESCRIPTION"])


def test_leaving_the_team_or_the_workspace_takes_the_event_away(team: Team, study, participant):
    first = booked(study, participant, [team.owner, team.teammate])
    second = booked(study, participant, [team.teammate])
    token = subscribe(team.teammate)
    assert len(read(token).events) == 2
    TeamMember.objects.filter(interview=first, user=team.teammate).delete()
    (left,) = read(token).events
    assert str(left["UID"]).startswith(f"heard-interview-{second.pk}@")
    on_team(first, team.teammate)
    accounts.remove_member(Membership.objects.get(user=team.teammate, workspace=team.workspace))
    response = fetch(token)
    assert response.status_code == 200
    assert Calendar.from_ical(response.content).events == []


def test_hostile_text_is_escaped(team: Team, study):
    hostile = 'Evil\r\nEND:VEVENT\nBEGIN:VEVENT; "x", <script>alert(1)</script> \\ end'
    team.owner.name = hostile
    team.owner.save()
    study.title = hostile
    study.save()
    person = factories.participant(team.workspace, name=hostile, company="A, B; C")
    booked(study, person, [team.owner], location=hostile)
    response = fetch(subscribe(team.owner))
    feed = Calendar.from_ical(response.content)
    (event,) = feed.events
    hostile = hostile.replace("\r\n", "\n")  # a line break is a line break
    assert str(event["SUMMARY"]) == f"Customer interview: {hostile} (A, B; C)"
    assert str(event["LOCATION"]) == hostile
    assert f"Study: {hostile}" in str(event["DESCRIPTION"])
    assert text_of(feed["X-WR-CALNAME"]) == f"Heard: {hostile}"
    assert text_of(feed["NAME"]) == f"Heard: {hostile}"
    lines = response.content.decode().split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 1
    assert lines.count("END:VEVENT") == 1


def test_the_calendar_names_heard_and_the_person_and_asks_for_an_hourly_refresh(team: Team):
    response = fetch(subscribe(team.owner))
    assert response.status_code == 200
    feed = Calendar.from_ical(response.content)
    assert str(feed["X-WR-CALNAME"]) == "Heard: Olivia Owner"
    assert feed.refresh_interval == datetime.timedelta(hours=1)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in response.content
    assert feed.events == []


def test_it_is_served_privately_without_cookies_and_answers_304_while_unchanged(
    team: Team, interview
):
    on_team(interview, team.owner)
    token = subscribe(team.owner)
    first = fetch(token)
    assert first.status_code == 200
    assert first["Content-Type"] == FEED_TYPE
    assert "private" in first["Cache-Control"]
    assert not first.cookies
    assert "Cookie" not in first.get("Vary", "")
    etag = first["ETag"]
    assert etag.startswith('"')
    again = fetch(token, if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert not again.cookies
    assert fetch(token, if_none_match='"something else"').status_code == 200
    TeamMember.objects.create(interview=interview, guest_name="Dana Levi")
    changed = fetch(token, if_none_match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_last_fetch_is_written_at_most_once_a_minute(team: Team):
    token = subscribe(team.owner)
    feed = CalendarFeed.objects.get(user=team.owner)
    assert feed.last_fetched_at is None
    fetch(token)
    feed.refresh_from_db()
    first = feed.last_fetched_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        assert fetch(token).status_code == 200
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    feed.refresh_from_db()
    assert feed.last_fetched_at == first
    earlier = first - datetime.timedelta(minutes=2)
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=earlier)
    fetch(token)
    feed.refresh_from_db()
    assert feed.last_fetched_at > earlier


def test_the_number_of_events_is_bounded_and_queries_do_not_grow(
    team: Team, study, participant, monkeypatch
):
    start = timezone.now() + datetime.timedelta(days=1)
    interviews = [
        booked(study, participant, [team.owner], starts_at=start + datetime.timedelta(hours=n))
        for n in range(5)
    ]
    token = subscribe(team.owner)
    read(token)  # the first fetch writes its time; the next ones, within the minute, do not
    with CaptureQueriesContext(connection) as one_lot:
        assert len(read(token).events) == 5
    for n in range(5, 10):
        interviews.append(
            booked(study, participant, [team.owner], starts_at=start + datetime.timedelta(hours=n))
        )
    with CaptureQueriesContext(connection) as two_lots:
        assert len(read(token).events) == 10
    assert len(two_lots) == len(one_lot)
    # Past the cap, what is still to come is kept before what is over.
    over = booked(
        study, participant, [team.owner], starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert f"heard-interview-{over.pk}" in {e["UID"].split("@")[0] for e in read(token).events}
    monkeypatch.setattr(calendar, "MAX_EVENTS", 3)
    events = read(token).events
    assert [e["UID"].split("@")[0] for e in events] == [
        f"heard-interview-{i.pk}" for i in interviews[:3]
    ]
