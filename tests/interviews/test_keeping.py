"""A held or summarised interview keeps its study, participant and guide: what was said in it
belongs to them. Logistics may still change."""

from __future__ import annotations

import pytest

from heard.interviews.models import Interview
from heard.synthesis.models import PointSummary
from tests.support import factories
from tests.support.interviews import schedule_data
from tests.support.matrix import held, summarised
from tests.support.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def summarised_call(team):  # type: ignore[no-untyped-def]
    study = factories.study(team.workspace, title="Reporting pains")
    point = factories.point(study, "Reports take hours", 0)
    guide = factories.guide(study)
    interview = held(study, factories.participant(team.workspace, name="Nickole Barros"))
    Interview.objects.filter(pk=interview.pk).update(guide=guide)
    interview.refresh_from_db()
    summarised(interview, team.owner, [point], stances=("supports",), heard=("Hours.",))
    return interview


def form_of(interview: Interview, **overrides):  # type: ignore[no-untyped-def]
    data = schedule_data(interview.study, interview.participant, guide=interview.guide_id)
    return data | overrides


@pytest.mark.parametrize("field", ["study", "participant", "guide"])
def test_a_summarised_interview_keeps_its_study_participant_and_guide(
    summarised_call, team, owner_client, field
):
    other_study = factories.study(team.workspace, title="Pricing")
    other = {
        "study": other_study.pk,
        "participant": factories.participant(team.workspace, name="Aiko Tanaka").pk,
        "guide": "",
    }[field]
    response = owner_client.post(
        url("interviews:edit", team, pk=summarised_call.pk),
        form_of(summarised_call, **{field: other}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"This interview keeps its {field}" in page
    assert "it has 1 summary (a draft)" in page
    kept = Interview.objects.get(pk=summarised_call.pk)
    assert (kept.study_id, kept.participant_id, kept.guide_id) == (
        summarised_call.study_id,
        summarised_call.participant_id,
        summarised_call.guide_id,
    )
    assert PointSummary.objects.filter(summary__interview=kept).count() == 1


def test_a_held_interview_still_takes_changes_of_logistics(summarised_call, team, owner_client):
    response = owner_client.post(
        url("interviews:edit", team, pk=summarised_call.pk),
        form_of(summarised_call, location="Room 4, second floor"),
    )
    assert response.status_code == 302
    assert Interview.objects.get(pk=summarised_call.pk).location == "Room 4, second floor"
    page = owner_client.get(url("interviews:edit", team, pk=summarised_call.pk)).content.decode()
    assert "This interview keeps its study, participant and guide" in page
