"""Who may do what: outsiders get 404 everywhere, observers read and download but change nothing."""

from __future__ import annotations

import pytest

from heard.interviews.models import Interview, InterviewStatus, TeamMember
from tests.support.interviews import schedule_data
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def every_url(team, interview, member, item) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    i, m, c = interview.pk, member.pk, item.pk
    return [
        ("get", url("interviews:list", team)),
        ("get", url("interviews:create", team)),
        ("post", url("interviews:create", team)),
        ("get", url("interviews:detail", team, pk=i)),
        ("get", url("interviews:edit", team, pk=i)),
        ("post", url("interviews:edit", team, pk=i)),
        ("get", url("interviews:cancel", team, pk=i)),
        ("post", url("interviews:cancel", team, pk=i)),
        ("post", url("interviews:reinstate", team, pk=i)),
        ("get", url("interviews:ics", team, pk=i)),
        ("get", url("interviews:team_add", team, pk=i)),
        ("post", url("interviews:team_add", team, pk=i)),
        ("get", url("interviews:team_edit", team, interview_pk=i, pk=m)),
        ("post", url("interviews:team_edit", team, interview_pk=i, pk=m)),
        ("post", url("interviews:team_remove", team, interview_pk=i, pk=m)),
        ("post", url("interviews:checklist_toggle", team, interview_pk=i, pk=c)),
    ]


@pytest.fixture
def member(interview):  # type: ignore[no-untyped-def]
    return TeamMember.objects.create(interview=interview, guest_name="Dana", seniority=1)


def test_outsider_gets_404_for_every_url(team, outsider_client, interview, member):
    item = interview.checklist.first()
    for method, path in every_url(team, interview, member, item):
        response = getattr(outsider_client, method)(path, {"done": "1"} if method == "post" else {})
        assert response.status_code == 404, (method, path)
    assert Interview.objects.get().status == InterviewStatus.SCHEDULED
    assert TeamMember.objects.filter(pk=member.pk).exists()
    item.refresh_from_db()
    assert not item.done


def test_outsider_gets_404_through_their_own_workspace_too(team, outsider_client, interview):
    path = f"/w/{team.other_workspace.slug}/interviews/{interview.pk}/"
    assert outsider_client.get(path).status_code == 404
    assert outsider_client.get(path + "invitation.ics").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, team, interview):
    response = client.get(url("interviews:ics", team, pk=interview.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_observer_reads_and_downloads(team, observer_client, interview, member):
    for name, kwargs in (
        ("list", {}),
        ("detail", {"pk": interview.pk}),
        ("ics", {"pk": interview.pk}),
    ):
        assert observer_client.get(url(f"interviews:{name}", team, **kwargs)).status_code == 200
    content = observer_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    assert "checklist_toggle" not in content
    assert "/toggle/" not in content
    assert "Add someone to the team" not in content
    assert "Cancel interview" not in content


def test_observer_writes_are_403_and_change_nothing(
    team, observer_client, interview, member, study, participant
):
    item = interview.checklist.first()
    reads = {
        url("interviews:list", team),
        url("interviews:detail", team, pk=interview.pk),
        url("interviews:ics", team, pk=interview.pk),
    }
    for method, path in every_url(team, interview, member, item):
        if path in reads:
            continue
        data = schedule_data(study, participant, day="2030-01-01") | {
            "done": "1",
            "guest_name": "Mallory",
            "seniority": "1",
            "role": "guest",
        }
        response = getattr(observer_client, method)(path, data if method == "post" else {})
        assert response.status_code == 403, (method, path)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED
    assert interview.starts_at.year != 2030
    assert Interview.objects.count() == 1
    assert list(interview.team.values_list("guest_name", flat=True)) == ["Dana"]
    item.refresh_from_db()
    assert not item.done


def test_state_changes_need_post(team, owner_client, interview, member):
    item = interview.checklist.first()
    for path in (
        url("interviews:reinstate", team, pk=interview.pk),
        url("interviews:team_remove", team, interview_pk=interview.pk, pk=member.pk),
        url("interviews:checklist_toggle", team, interview_pk=interview.pk, pk=item.pk),
    ):
        assert owner_client.get(path).status_code == 405
    assert owner_client.post(url("interviews:ics", team, pk=interview.pk)).status_code == 405
