"""The prep checklist: generated from the mode, ticked before the call, counted as readiness."""

from __future__ import annotations

import pytest

from heard.interviews import checklists, scheduling, services
from heard.interviews.models import ChecklistItem, InterviewStatus
from tests.support import factories
from tests.support.interviews import schedule_data
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def test_a_video_call_gets_the_articles_environment_list():
    items = services.checklist_for("video")
    assert len(items) == 7
    joined = " ".join(items).lower()
    for words in (
        "nobody will interrupt",
        "glass of water",
        "hard copy of the guide",
        "background",
        "microphone",
        "connection",
        "dressed for business",
    ):
        assert words in joined


def test_in_person_is_shorter_and_phone_in_between():
    in_person = services.checklist_for("in_person")
    phone = services.checklist_for("phone")
    assert len(in_person) == 2
    assert "look decent" in in_person[0].lower()
    assert "notebook" in in_person[1]
    assert len(in_person) < len(phone) < len(services.checklist_for("video"))
    assert any("charged" in item for item in phone)


def test_an_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="zoom"):
        services.checklist_for("zoom")


def test_the_checklist_is_created_with_the_interview(team, owner_client, study, participant):
    owner_client.post(
        url("interviews:create", team), schedule_data(study, participant, mode="phone")
    )
    texts = list(ChecklistItem.objects.values_list("text", flat=True))
    assert texts == services.checklist_for("phone")


def test_changing_the_mode_keeps_the_ticks_of_unchanged_steps(team, interview):
    water = interview.checklist.get(text=checklists.WATER_AND_PAPER)
    background = interview.checklist.get(text=checklists.BACKGROUND)
    services.set_done(water, team.owner, True)
    services.set_done(background, team.owner, True)
    interview.mode = "phone"
    scheduling.save_changes(interview)
    items = list(interview.checklist.all())
    assert [item.text for item in items] == services.checklist_for("phone")
    kept = interview.checklist.get(text=checklists.WATER_AND_PAPER)
    assert kept.pk == water.pk
    assert kept.done
    assert kept.done_by == team.owner
    assert not interview.checklist.filter(text=checklists.BACKGROUND).exists()


def test_mode_change_through_the_edit_form_rebuilds_the_checklist(
    team, owner_client, interview, study, participant
):
    owner_client.post(
        url("interviews:edit", team, pk=interview.pk),
        schedule_data(study, participant, mode="in_person", location="Client Co, Main St 5"),
    )
    assert list(interview.checklist.values_list("text", flat=True)) == services.checklist_for(
        "in_person"
    )


def test_apply_checklist_twice_changes_nothing(interview):
    before = list(interview.checklist.values_list("pk", "text", "position"))
    services.apply_checklist(interview)
    assert list(interview.checklist.values_list("pk", "text", "position")) == before


def test_ticking_records_who_and_when_and_unticking_clears(team, teammate_client, interview):
    item = interview.checklist.first()
    response = teammate_client.post(
        url("interviews:checklist_toggle", team, interview_pk=interview.pk, pk=item.pk),
        {"done": "1"},
    )
    assert response.status_code == 302
    assert response.url.endswith("#checklist")
    item.refresh_from_db()
    assert item.done
    assert item.done_by == team.teammate
    teammate_client.post(
        url("interviews:checklist_toggle", team, interview_pk=interview.pk, pk=item.pk),
        {"done": "0"},
    )
    item.refresh_from_db()
    assert not item.done
    assert item.done_by is None


def test_ticking_twice_keeps_the_first_tick(team, owner_client, teammate_client, interview):
    item = interview.checklist.first()
    path = url("interviews:checklist_toggle", team, interview_pk=interview.pk, pk=item.pk)
    owner_client.post(path, {"done": "1"})
    item.refresh_from_db()
    first = item.done_at
    teammate_client.post(path, {"done": "1"})
    item.refresh_from_db()
    assert (item.done_at, item.done_by) == (first, team.owner)


def test_htmx_tick_returns_only_the_checklist(team, owner_client, interview):
    item = interview.checklist.first()
    response = owner_client.post(
        url("interviews:checklist_toggle", team, interview_pk=interview.pk, pk=item.pk),
        {"done": "1"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="card checklist-card" id="checklist"')
    assert "<html" not in content
    assert "1/7 ready" in content
    assert 'aria-pressed="true"' in content


def test_readiness_counts_on_the_page_and_in_the_list(team, owner_client, interview):
    for item in interview.checklist.all()[:3]:
        services.set_done(item, team.owner, True)
    assert (
        "3/7 ready"
        in owner_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    )
    assert "3/7 ready" in owner_client.get(url("interviews:list", team)).content.decode()
    home = owner_client.get(f"/w/{team.workspace.slug}/").content.decode()
    assert "3/7 ready" in home


def test_readiness_of_items():
    items = [ChecklistItem(text="a"), ChecklistItem(text="b")]
    assert services.readiness(items) == services.Readiness(done=0, total=2)
    assert not services.readiness(items).complete
    assert not services.readiness([]).complete


def test_the_hard_copy_step_links_to_the_guide(team, owner_client, interview):
    content = owner_client.get(url("interviews:detail", team, pk=interview.pk)).content.decode()
    assert f"/guides/{interview.guide.pk}/" in content
    assert "Print the guide for this interview" in content


def test_a_cancelled_interviews_checklist_is_closed(team, owner_client, interview):
    interview.status = InterviewStatus.CANCELLED
    interview.save()
    item = interview.checklist.first()
    owner_client.post(
        url("interviews:checklist_toggle", team, interview_pk=interview.pk, pk=item.pk),
        {"done": "1"},
    )
    item.refresh_from_db()
    assert not item.done


def test_an_item_of_another_interview_is_404(team, owner_client, interview, study):
    other = factories.interview(study)
    services.apply_checklist(other)
    item = other.checklist.first()
    response = owner_client.post(
        url("interviews:checklist_toggle", team, interview_pk=interview.pk, pk=item.pk),
        {"done": "1"},
    )
    assert response.status_code == 404
