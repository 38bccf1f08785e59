"""Editing the plan never changes what a held interview said: a guide, section or question that
a held interview used is archived, not deleted, and the interview's wrap-up, its notes' links
to questions and its hard copy read as they did."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError

from heard.guides.models import Guide, Question, Section
from heard.interviews.live import state
from heard.interviews.models import Interview, QuestionState, QuestionStatus
from tests.support import factories
from tests.support.calls import planned_study
from tests.support.held import hold_call, read_back
from tests.support.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(team):  # type: ignore[no-untyped-def]
    call = hold_call(team)
    return call.plan, call.second, call.interview


def test_deleting_what_a_held_interview_used_archives_it_and_changes_nothing_it_said(
    held, team, owner_client
):
    plan, second, interview = held
    before = read_back(interview)
    assert before["coverage"][QuestionStatus.ANSWERED] == 1
    question = plan.questions[0]
    sheet = url("guides:print", team, pk=plan.guide.pk) + f"?interview={interview.pk}"
    assert question.text in owner_client.get(sheet).content.decode()

    address = url("guides:question_delete", team, guide_pk=plan.guide.pk, pk=question.pk)
    page = owner_client.get(address).content.decode()
    assert "Archive this question?" in page
    for said in ("1 held interview used it", "1 question state ticked in a call", "1 note tied"):
        assert said in page
    owner_client.post(address)
    section_address = url("guides:section_delete", team, guide_pk=plan.guide.pk, pk=second.pk)
    assert "Archive the section" in owner_client.get(section_address).content.decode()
    owner_client.post(section_address)
    guide_address = url("guides:delete", team, pk=plan.guide.pk)
    assert "Archive “" in owner_client.get(guide_address).content.decode()
    owner_client.post(guide_address)

    assert read_back(Interview.objects.get(pk=interview.pk)) == before
    for archived in (Question.objects.get(pk=question.pk), Section.objects.get(pk=second.pk)):
        assert archived.is_archived
    assert Guide.objects.get(pk=plan.guide.pk).is_archived
    assert Interview.objects.get(pk=interview.pk).guide_id == plan.guide.pk
    # The hard copy of the held interview still asks it; the guide as it stands does not.
    assert question.text in owner_client.get(sheet).content.decode()
    editor = owner_client.get(url("guides:detail", team, pk=plan.guide.pk)).content.decode()
    assert question.text not in editor
    assert "Wrapping up" not in editor
    assert "Archived" in editor


def test_a_call_still_to_come_no_longer_shows_what_was_archived(held, team):
    plan, _second, _interview = held
    question = plan.questions[0]
    question.archive()
    coming = factories.interview(plan.study, guide=plan.guide)
    shown = [
        q["id"]
        for s in state.snapshot(coming, team.owner, can_edit=True)["sections"]
        for q in s["questions"]
    ]
    assert question.pk not in shown
    assert plan.questions[1].pk in shown


def test_what_no_held_interview_used_is_deleted_outright(team, owner_client):
    plan = planned_study(team.workspace, ("Reports take hours",))
    coming = factories.interview(plan.study, guide=plan.guide)
    question = plan.questions[0]
    address = url("guides:question_delete", team, guide_pk=plan.guide.pk, pk=question.pk)
    assert "No held interview asked it" in owner_client.get(address).content.decode()
    owner_client.post(address)
    assert not Question.objects.filter(pk=question.pk).exists()
    owner_client.post(url("guides:delete", team, pk=plan.guide.pk))
    assert not Guide.objects.filter(pk=plan.guide.pk).exists()
    coming.refresh_from_db()
    assert coming.guide_id is None


def test_the_database_refuses_to_cascade_a_question_into_held_calls(held):
    plan, _second, _interview = held
    assert QuestionState.objects.exists()
    with pytest.raises(ProtectedError):
        plan.questions[0].delete()
