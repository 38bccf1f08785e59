"""Editing the guide never changes what a held interview shows of it: a section or question it
saw is archived as it was and a copy with the edits takes its place for the calls to come, and
what is added later is not shown to interviews held before. The wrap-up, the live screen after
the call, the hard copy of the interview and the summary's candidate quotes stay as they were;
a call still to come sees the guide as it stands."""

from __future__ import annotations

from typing import Any

import pytest

from heard.guides.models import Question, QuestionPriority, Section
from heard.interviews.live import milestones, reads
from tests.support import factories
from tests.support.held import Held, coming_guide, hold_call, read_back, shown
from tests.support.urls import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(team) -> Held:  # type: ignore[no-untyped-def]
    return hold_call(team)


def edit_question(client: Any, team: Any, question: Question, **changes: Any) -> str:
    """Post the question's form with `changes`; the editor's page it comes back to."""
    data = {
        "section": question.section_id,
        "text": question.text,
        "priority": question.priority,
        "minutes": question.minutes,
        "points": [p.pk for p in question.points.all()],
        "follow_ups": question.follow_ups,
        "answered_by": question.answered_by,
    } | changes
    guide_pk = question.section.guide_id
    address = url("guides:question_edit", team, guide_pk=guide_pk, pk=question.pk)
    answer = client.post(address, data, follow=True)
    assert answer.redirect_chain
    return answer.content.decode()


def test_editing_words_priority_points_and_sections_leaves_held_interviews_as_they_were(
    held, team, owner_client
):
    plan, second = held.plan, held.second
    before = shown(held.interview, team, owner_client)
    assert "Question 1?" in before["hard_copy"]
    assert before["candidates"][plan.points[0].pk]  # the note on the first question

    q = plan.questions
    edit_question(
        owner_client,
        team,
        q[0],
        text="What does Monday look like?",
        priority=QuestionPriority.MUST,
        minutes=9,
        points=[plan.points[1].pk],
    )
    edit_question(owner_client, team, q[1], section=second.pk)  # moved to the second section
    section_address = url("guides:section_edit", team, guide_pk=plan.guide.pk, pk=second.pk)
    owner_client.post(section_address, {"title": "Closing", "purpose": "Thank them."})

    assert shown(held.interview, team, owner_client) == before
    assert coming_guide(held.interview, team) == [
        ("Context", [("What does Monday look like?", QuestionPriority.MUST)]),
        ("Closing", [("Question 3?", "should"), ("Question 2?", "should")]),
    ]
    editor = owner_client.get(url("guides:detail", team, pk=plan.guide.pk)).content.decode()
    assert "What does Monday look like?" in editor
    assert "Question 1?" not in editor
    assert "Wrapping up" not in editor


def test_a_question_keeps_its_place_and_the_editor_still_reorders(held, team, owner_client):
    plan = held.plan
    page = edit_question(owner_client, team, plan.questions[0], text="What does Monday look like?")
    assert "Interviews already held keep it as they asked it." in page
    first = Section.objects.current().get(guide=plan.guide, title="Context")
    copy = first.questions.current().get(text="What does Monday look like?")
    assert [q.text for q in first.questions.current()] == [copy.text, "Question 2?"]
    reorder = url("guides:question_reorder", team, guide_pk=plan.guide.pk, pk=first.pk)
    order = f"{plan.questions[1].pk},{copy.pk}"
    assert owner_client.post(reorder, {"order": order}).json() == {"ok": True}
    move = url("guides:question_move", team, guide_pk=plan.guide.pk, pk=copy.pk)
    owner_client.post(move, {"direction": "up"})
    assert [q.pk for q in first.questions.current()] == [copy.pk, plan.questions[1].pk]


def test_adding_questions_and_sections_leaves_held_interviews_as_they_were(
    held, team, owner_client
):
    plan = held.plan
    before = shown(held.interview, team, owner_client)
    first = plan.questions[0].section
    owner_client.post(
        url("guides:question_create", team, guide_pk=plan.guide.pk, pk=first.pk),
        {"section": first.pk, "text": "What did it cost?", "priority": "must", "minutes": 3},
    )
    owner_client.post(url("guides:section_create", team, pk=plan.guide.pk), {"title": "Budget"})
    budget = Section.objects.get(guide=plan.guide, title="Budget")
    owner_client.post(
        url("guides:question_create", team, guide_pk=plan.guide.pk, pk=budget.pk),
        {"section": budget.pk, "text": "Who signs?", "priority": "must", "minutes": 3},
    )

    assert shown(held.interview, team, owner_client) == before
    assert before["must_missed"] == []
    sections = coming_guide(held.interview, team)
    assert ("What did it cost?", QuestionPriority.MUST) in sections[0][1]
    assert sections[-1] == ("Budget", [("Who signs?", QuestionPriority.MUST)])


def test_a_call_running_when_the_guide_changes_keeps_the_guide_it_began_with(held, team):
    plan = held.plan
    running = factories.interview(plan.study, guide=plan.guide)
    milestones.start(running, team.owner)
    Question.objects.create(section=plan.questions[0].section, text="Added mid-call?")
    running.refresh_from_db()
    asked = [q.text for _, qs in reads.wrapup_for(running)["sections"] for q in qs]
    assert "Added mid-call?" not in asked
    assert "Question 1?" in asked


def test_what_no_held_interview_saw_is_edited_in_place_and_deleted_outright(
    held, team, owner_client
):
    plan = held.plan
    first = plan.questions[0].section
    later = Question.objects.create(section=first, text="Added after the call?", position=9)
    page = edit_question(owner_client, team, later, text="Reworded before any call?")
    assert "Interviews already held keep it" not in page
    later.refresh_from_db()
    assert later.text == "Reworded before any call?"
    assert not later.is_archived
    address = url("guides:question_delete", team, guide_pk=plan.guide.pk, pk=later.pk)
    assert "No held interview asked it" in owner_client.get(address).content.decode()
    owner_client.post(address)
    assert not Question.objects.filter(pk=later.pk).exists()
    assert read_back(held.interview)["coverage"]["open"] == 1


def test_an_archived_part_is_not_edited(held, team, owner_client):
    plan = held.plan
    edit_question(owner_client, team, plan.questions[0], text="What does Monday look like?")
    old = url("guides:question_edit", team, guide_pk=plan.guide.pk, pk=plan.questions[0].pk)
    assert owner_client.post(old, {"text": "Again"}).status_code == 404
