"""Who may do what, beyond the URL walker (tests/test_url_access.py), which checks that
outsiders get 404 and observers change nothing: observers see no controls, and the addresses
that change state take POST only."""

from __future__ import annotations

import pytest

from heard.interviews.models import TeamMember
from tests.support.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(interview):  # type: ignore[no-untyped-def]
    return TeamMember.objects.create(interview=interview, guest_name="Dana", seniority=1)


def test_observers_see_the_interview_without_its_controls(team, observer_client, interview, member):
    response = observer_client.get(url("interviews:detail", team, pk=interview.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "checklist_toggle" not in content
    assert "/toggle/" not in content
    assert "Add someone to the team" not in content
    assert "Cancel interview" not in content


def test_state_changes_need_post(team, owner_client, interview, member):
    item = interview.checklist.first()
    for path in (
        url("interviews:reinstate", team, pk=interview.pk),
        url("interviews:team_remove", team, interview_pk=interview.pk, pk=member.pk),
        url("interviews:checklist_toggle", team, interview_pk=interview.pk, pk=item.pk),
    ):
        assert owner_client.get(path).status_code == 405
    assert owner_client.post(url("interviews:ics", team, pk=interview.pk)).status_code == 405
