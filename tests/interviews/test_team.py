"""The interview team: members and outside guests, roles, and the intro order."""

from __future__ import annotations

from typing import Any

import pytest

from heard.interviews import services
from heard.interviews.models import TeamMember, TeamRole
from tests.support import factories
from tests.support.text import read
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def member_data(**overrides: Any) -> dict[str, Any]:
    data = {"user": "", "guest_name": "", "title": "", "role": "notetaker", "seniority": "1"}
    return data | overrides


def test_owner_adds_a_member_and_a_guest(team, owner_client, interview):
    response = owner_client.post(
        url("interviews:team_add", team, pk=interview.pk),
        member_data(user=team.teammate.pk, role="interviewer", title="PM", seniority="2"),
    )
    assert response.status_code == 302
    owner_client.post(
        url("interviews:team_add", team, pk=interview.pk),
        member_data(guest_name="Dana Levi", title="VP Product", role="guest", seniority="1"),
    )
    tom, dana = interview.team.order_by("id")
    assert (tom.user, tom.role, tom.title) == (team.teammate, TeamRole.INTERVIEWER, "PM")
    assert (dana.user, dana.guest_name, dana.role) == (None, "Dana Levi", TeamRole.GUEST)


def test_the_page_shows_intros_most_senior_first(team, owner_client, interview):
    TeamMember.objects.create(
        interview=interview, user=team.teammate, role=TeamRole.INTERVIEWER, seniority=2
    )
    TeamMember.objects.create(
        interview=interview, guest_name="Dana Levi", title="VP Product", seniority=1
    )
    TeamMember.objects.create(
        interview=interview, user=team.owner, role=TeamRole.NOTETAKER, seniority=3
    )
    content = owner_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    assert "Intros, most senior first" in content
    assert "Dana Levi, VP Product → Tom Teammate → Olivia Owner" in read(content)
    assert [m.display_name for m in services.intro_order(interview)] == [
        "Dana Levi",
        "Tom Teammate",
        "Olivia Owner",
    ]


def test_new_members_default_to_the_next_seniority(team, owner_client, interview):
    TeamMember.objects.create(interview=interview, guest_name="A", seniority=4)
    form = owner_client.get(url("interviews:team_add", team, pk=interview.pk)).context["form"]
    assert form.initial["seniority"] == 5


def test_a_member_is_on_the_team_at_most_once(team, owner_client, interview):
    TeamMember.objects.create(interview=interview, user=team.teammate, role=TeamRole.NOTETAKER)
    response = owner_client.post(
        url("interviews:team_add", team, pk=interview.pk), member_data(user=team.teammate.pk)
    )
    assert response.status_code == 200
    assert "already on this interview" in response.content.decode()
    assert interview.team.count() == 1


def test_someone_outside_the_workspace_is_refused(team, owner_client, interview):
    response = owner_client.post(
        url("interviews:team_add", team, pk=interview.pk), member_data(user=team.outsider.pk)
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not interview.team.exists()


def test_someone_is_a_member_or_a_named_guest_not_both_nor_neither(team, owner_client, interview):
    both = owner_client.post(
        url("interviews:team_add", team, pk=interview.pk),
        member_data(user=team.teammate.pk, guest_name="Dana"),
    )
    neither = owner_client.post(url("interviews:team_add", team, pk=interview.pk), member_data())
    assert "not both" in both.content.decode()
    assert "Pick a workspace member, or type the name" in neither.content.decode()
    assert not interview.team.exists()


def test_seniority_starts_at_one(team, owner_client, interview):
    response = owner_client.post(
        url("interviews:team_add", team, pk=interview.pk),
        member_data(guest_name="Dana", seniority="0"),
    )
    assert response.status_code == 200
    assert not interview.team.exists()


def test_two_interviewers_are_allowed_with_a_warning(team, owner_client, interview):
    for person in (team.owner, team.teammate):
        owner_client.post(
            url("interviews:team_add", team, pk=interview.pk),
            member_data(user=person.pk, role="interviewer"),
        )
    assert interview.team.filter(role=TeamRole.INTERVIEWER).count() == 2
    content = owner_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    assert "2 people are set as interviewer" in content


def test_team_warnings_follow_the_method(team, interview):
    assert services.team_warnings([]) == [
        "Nobody is the interviewer yet: add who leads the conversation."
    ]
    lead = TeamMember(interview=interview, user=team.owner, role=TeamRole.INTERVIEWER)
    assert "No notetaker yet" in services.team_warnings([lead])[0]
    wingman = TeamMember(
        interview=interview, guest_name="Sam", role=TeamRole.NOTETAKER, seniority=2
    )
    assert services.team_warnings([lead, wingman]) == []


def test_edit_and_remove_a_team_member(team, owner_client, interview):
    member = TeamMember.objects.create(interview=interview, guest_name="Dana", seniority=1)
    assert (
        owner_client.get(
            url("interviews:team_edit", team, interview_pk=interview.pk, pk=member.pk)
        ).status_code
        == 200
    )
    owner_client.post(
        url("interviews:team_edit", team, interview_pk=interview.pk, pk=member.pk),
        member_data(guest_name="Dana Levi", title="CEO", role="guest", seniority="3"),
    )
    member.refresh_from_db()
    assert (member.guest_name, member.title, member.seniority) == ("Dana Levi", "CEO", 3)
    owner_client.post(url("interviews:team_remove", team, interview_pk=interview.pk, pk=member.pk))
    assert not interview.team.exists()


def test_editing_a_member_keeps_them_without_a_duplicate_error(team, owner_client, interview):
    member = TeamMember.objects.create(
        interview=interview, user=team.teammate, role=TeamRole.NOTETAKER
    )
    response = owner_client.post(
        url("interviews:team_edit", team, interview_pk=interview.pk, pk=member.pk),
        member_data(user=team.teammate.pk, role="interviewer"),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == TeamRole.INTERVIEWER


def test_a_team_member_of_another_interview_is_not_reachable_through_this_one(
    team, owner_client, interview, study
):
    other = factories.interview(study)
    member = TeamMember.objects.create(interview=other, guest_name="Dana")
    response = owner_client.post(
        url("interviews:team_remove", team, interview_pk=interview.pk, pk=member.pk)
    )
    assert response.status_code == 404
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_hostile_guest_names_stay_text(team, owner_client, interview):
    TeamMember.objects.create(interview=interview, guest_name='<img src=x onerror="alert(1)">')
    content = owner_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    assert "<img src=x" not in content


def test_equal_seniority_is_pointed_out(team, interview):
    TeamMember.objects.create(
        interview=interview, user=team.owner, role=TeamRole.INTERVIEWER, seniority=1
    )
    TeamMember.objects.create(
        interview=interview, guest_name="Vera VP", role=TeamRole.GUEST, seniority=1
    )
    warnings = services.team_warnings(services.intro_order(interview))
    assert any("share seniority 1" in w and "Vera VP" in w for w in warnings)
