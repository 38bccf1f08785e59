"""The interview lists: upcoming and past/cancelled, by study, in pages, in few queries."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from heard.core.templatetags.heard import zone_label, zoned
from heard.interviews import listings, services
from heard.interviews.models import InterviewStatus, TeamMember, TeamRole
from heard.interviews.models.schedule import WallClock
from tests.support import factories
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def ago(**kwargs: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**kwargs)


def later(**kwargs: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**kwargs)


def test_upcoming_and_past_split_on_the_end_of_the_call(team, study):
    ws = team.workspace
    soon = factories.interview(study, starts_at=later(days=1))
    running = factories.interview(study, starts_at=ago(minutes=30), length_minutes=45)
    over = factories.interview(study, starts_at=ago(minutes=50), length_minutes=45)
    live = factories.interview(study, starts_at=ago(hours=5), status=InterviewStatus.LIVE)
    cancelled = factories.interview(
        study, starts_at=later(days=2), status=InterviewStatus.CANCELLED
    )
    done = factories.interview(study, starts_at=ago(days=1), status=InterviewStatus.DONE)
    upcoming = list(listings.interviews_for_list(ws, listings.Listing.UPCOMING))
    past = list(listings.interviews_for_list(ws, listings.Listing.PAST))
    assert upcoming == [live, running, soon]
    assert past == [cancelled, over, done]
    assert listings.count_by_listing(ws) == {
        listings.Listing.UPCOMING: 3,
        listings.Listing.PAST: 3,
    }
    assert listings.upcoming(ws, 8) == upcoming
    assert listings.upcoming(ws, 2) == upcoming[:2]


def test_a_call_is_to_come_until_its_end_however_long_it_lasts(team, study):
    ws = team.workspace
    longest = factories.interview(study, starts_at=ago(hours=7, minutes=50), length_minutes=480)
    factories.interview(study, starts_at=ago(hours=8, minutes=10), length_minutes=480)
    assert list(listings.interviews_for_list(ws, listings.Listing.UPCOMING)) == [longest]
    assert listings.count_by_listing(ws)[listings.Listing.UPCOMING] == 1


def test_an_interview_lasts_at_most_eight_hours(study):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.interview(study, length_minutes=481)


def test_the_list_shows_when_who_study_mode_interviewer_and_readiness(
    team, owner_client, interview
):
    TeamMember.objects.create(interview=interview, user=team.teammate, role=TeamRole.INTERVIEWER)
    content = owner_client.get(url("interviews:list", team)).content.decode()
    assert interview.local_start.strftime("%a %-d %b %Y, %H:%M") in content
    assert "Europe/Berlin" in content
    assert "Nickole Smith" in content
    assert "Client Co" in content
    assert "Reporting pains" in content
    assert "Video call" in content
    assert "Tom Teammate" in content
    assert "0/7 ready" in content


def test_filter_by_study(team, owner_client, study):
    other = factories.study(team.workspace, title="Pricing")
    factories.interview(study, factories.participant(team.workspace, name="In reporting"))
    factories.interview(other, factories.participant(team.workspace, name="In pricing"))
    content = owner_client.get(url("interviews:list", team) + f"?study={other.pk}").content.decode()
    assert "In pricing" in content
    assert "In reporting" not in content
    foreign = factories.study(team.other_workspace)
    unfiltered = owner_client.get(
        url("interviews:list", team) + f"?study={foreign.pk}"
    ).content.decode()
    assert "In pricing" in unfiltered
    assert "In reporting" in unfiltered


def test_past_view_and_bad_view_names(team, owner_client, study):
    factories.interview(
        study,
        factories.participant(team.workspace, name="Long ago"),
        starts_at=ago(days=30),
    )
    assert "Long ago" not in owner_client.get(url("interviews:list", team)).content.decode()
    assert (
        "Long ago" in owner_client.get(url("interviews:list", team) + "?view=past").content.decode()
    )
    assert (
        owner_client.get(url("interviews:list", team) + "?view=nonsense&page=x").status_code == 200
    )


def test_the_list_is_paginated(team, owner_client, study):
    person = factories.participant(team.workspace)
    for day in range(30):
        factories.interview(study, person, starts_at=later(days=day + 1))
    first = owner_client.get(url("interviews:list", team))
    assert len(first.context["page"].object_list) == 25
    second = owner_client.get(url("interviews:list", team) + "?page=2")
    assert len(second.context["page"].object_list) == 5


def test_another_workspaces_interviews_are_not_listed(team, owner_client):
    foreign_study = factories.study(team.other_workspace)
    factories.interview(
        foreign_study, factories.participant(team.other_workspace, name="Their customer")
    )
    assert "Their customer" not in owner_client.get(url("interviews:list", team)).content.decode()


def _populate(team, study, count):  # type: ignore[no-untyped-def]
    for i in range(count):
        interview = factories.interview(
            study, factories.participant(team.workspace), starts_at=later(days=i + 1)
        )
        services.apply_checklist(interview)
        TeamMember.objects.create(
            interview=interview, user=team.owner, role=TeamRole.INTERVIEWER, seniority=1
        )
        TeamMember.objects.create(interview=interview, guest_name=f"Guest {i}", seniority=2)


def test_list_query_count_does_not_grow_with_rows(
    team, owner_client, study, django_assert_max_num_queries
):
    _populate(team, study, 2)
    with django_assert_max_num_queries(15) as few:
        page = owner_client.get(url("interviews:list", team))
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 2
    _populate(team, study, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(url("interviews:list", team))
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 22


def test_workspace_home_query_count_does_not_grow_with_rows(
    team, owner_client, study, django_assert_max_num_queries
):
    home = f"/w/{team.workspace.slug}/"
    _populate(team, study, 2)
    with django_assert_max_num_queries(15) as few:
        page = owner_client.get(home)
    assert page.status_code == 200
    assert len(page.context["upcoming"]) == 2
    _populate(team, study, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(home)
    assert page.status_code == 200
    assert len(page.context["upcoming"]) == 8


def test_detail_query_count_does_not_grow_with_team_or_ticks(
    team, owner_client, interview, django_assert_max_num_queries
):
    TeamMember.objects.create(interview=interview, user=team.owner, seniority=1)
    with django_assert_max_num_queries(25) as few:
        page = owner_client.get(url("interviews:detail", team, pk=interview.pk))
    assert page.status_code == 200
    assert "0/7 ready" in page.content.decode()
    for i in range(5):
        TeamMember.objects.create(interview=interview, guest_name=f"G{i}", seniority=i + 2)
    for item in interview.checklist.all():
        services.set_done(item, team.teammate, True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(url("interviews:detail", team, pk=interview.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "7/7 ready" in content
    assert "G4" in content


@pytest.mark.parametrize(
    ("zone", "month", "label"),
    [
        ("Europe/Berlin", 1, "CET"),
        ("Europe/Berlin", 7, "CEST"),
        ("America/St_Johns", 1, "NST"),
        ("UTC", 1, "UTC"),
        ("Asia/Dubai", 1, "UTC+04"),
        ("Asia/Kathmandu", 1, "UTC+05:45"),
        ("America/Sao_Paulo", 1, "UTC-03"),
    ],
)
def test_a_time_in_a_list_names_its_zone(zone, month, label):
    moment = WallClock.of(
        datetime.datetime(2027, month, 14, 12, tzinfo=datetime.UTC), zoneinfo.ZoneInfo(zone)
    )
    assert zone_label(moment) == label
    assert zoned(moment, "H:i") == (
        f'{moment:%H:%M}&nbsp;<abbr class="zone" title="{zone}">{label}</abbr>'
    )


def test_the_past_list_reads_a_page_whatever_it_holds(
    team, owner_client, study, django_assert_max_num_queries
):
    def add_past(count: int) -> None:
        for i in range(count):
            factories.study(team.workspace, title=f"Study {i} of {count}")
            interview = factories.interview(study, starts_at=ago(days=i + 1))
            TeamMember.objects.create(interview=interview, user=team.owner, seniority=1)

    past = url("interviews:list", team) + "?view=past"
    add_past(2)
    with django_assert_max_num_queries(15) as few:
        page = owner_client.get(past)
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 2
    add_past(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(past + "&page=2")
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 7
    assert "Page 2 of 2 · 32 in all" in page.content.decode()
    # Every study offered in the filter: the study, the 32 made here, and "All studies".
    assert page.content.decode().count('<option value="') == 34


def test_the_study_page_lists_the_next_and_the_latest_and_links_to_the_rest(
    team, owner_client, study, django_assert_max_num_queries
):
    page_url = url("studies:detail", team, pk=study.pk)
    _populate(team, study, 2)
    factories.interview(study, starts_at=ago(days=40))
    with django_assert_max_num_queries(40) as few:
        page = owner_client.get(page_url)
    assert page.status_code == 200
    _populate(team, study, 12)
    for day in range(11):
        factories.interview(
            study,
            factories.participant(team.workspace, name=f"Held {day}"),
            starts_at=ago(days=day + 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(page_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert content.count('class="badge badge--scheduled"') == listings.STUDY_CARD_ROWS
    assert "Held 0" in content
    assert "Held 10" not in content
    listed = url("interviews:list", team)
    assert f'{listed}?view=upcoming&amp;study={study.pk}">All 14 interviews to come' in content
    assert f'{listed}?view=past&amp;study={study.pk}">All 12 past and cancelled' in content
