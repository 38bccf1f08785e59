"""The built-in starter guide follows the method, section by section."""

from __future__ import annotations

import importlib

import pytest

from heard.guides import services, template
from heard.guides.models import CallStep, Question, QuestionPriority
from tests.support import factories

pytestmark = pytest.mark.django_db


def texts(guide, section_title):  # type: ignore[no-untyped-def]
    section = guide.sections.get(title=section_title)
    return " ".join(q.text for q in section.questions.all()).lower()


def test_it_has_the_method_sections_in_order(guide):
    assert [s.title for s in guide.sections.all()] == [
        "Purpose and intros",
        "The customer's context",
        "Pains and how they measure them",
        "Current workarounds",
        "Competition",
        "Wrap-up",
    ]


def test_it_kicks_off_with_permission_short_intros_and_why_we_are_here(guide):
    kickoff = texts(guide, "Purpose and intros")
    assert "record" in kickoff
    assert "most senior" in kickoff
    assert "two minutes at most" in kickoff
    assert "thank you for taking the time" in kickoff
    first = guide.sections.get(title="Purpose and intros").questions.first()
    assert "record" in first.text.lower()
    assert first.priority == QuestionPriority.MUST


def test_it_asks_for_context_pains_kpis_and_the_last_time(guide):
    assert "12 months" in texts(guide, "The customer's context")
    assert "role" in texts(guide, "The customer's context")
    pains = texts(guide, "Pains and how they measure them")
    assert "biggest pains" in pains
    assert "kpi" in pains
    assert "last time" in pains


def test_a_requested_solution_is_dug_into_with_five_whys(guide):
    section = guide.sections.get(title="Current workarounds")
    prompts = [p for q in section.questions.all() for p in q.follow_up_list]
    assert sum("why" in p.lower() for p in prompts) >= 2
    assert any("five times" in p for p in prompts)


def test_competition_asks_for_alternatives_and_why(guide):
    competition = texts(guide, "Competition")
    assert "alternatives" in competition
    assert "why" in competition


def test_wrap_up_leaves_room_for_the_team_and_the_customer_and_asks_to_follow_up(guide):
    wrap_up = texts(guide, "Wrap-up")
    assert "team's reserve" in wrap_up
    assert "customer's reserve" in wrap_up
    assert "reach out again" in wrap_up
    reserve_questions = [
        q for q in guide.sections.get(title="Wrap-up").questions.all() if "reserve" in q.text
    ]
    # The reserves have time of their own: these questions add none to the budget.
    assert [q.minutes for q in reserve_questions] == [0, 0]


def test_defaults_follow_the_method_and_fill_the_conversation_exactly(guide):
    assert guide.interview_minutes == 45
    assert guide.team_reserve_minutes == 10
    assert guide.customer_reserve_minutes == 5
    plan = services.plan_for(guide)
    assert plan.budget.available == 30
    assert plan.budget.planned == 30
    assert plan.budget.state == services.BudgetState.EXACT


def test_questions_have_priorities_minutes_and_follow_ups(guide):
    questions = list(Question.objects.filter(section__guide=guide))
    assert 12 <= len(questions) <= 16
    assert {q.priority for q in questions} == set(QuestionPriority.values)
    assert sum(bool(q.follow_up_list) for q in questions) >= 8
    assert [q.position for q in guide.sections.first().questions.all()] == [0, 1, 2]


def test_it_brings_customer_profile_fields(guide):
    keys = [f.key for f in guide.profile_fields.all()]
    assert keys == ["company_size", "industry", "role", "tools_today", "plan_usage"]


def test_built_for_a_study_it_links_no_validation_point(study):
    factories.point(study, "Reports take too long")
    guide = services.create_from_template(study, title="Discovery")
    assert not Question.points.through.objects.filter(question__section__guide=guide).exists()


def test_the_data_is_plain_and_self_consistent():
    assert len(template.SECTIONS) == 6
    assert all(q.minutes >= 0 for s in template.SECTIONS for q in s.questions)
    assert len({f.key for f in template.PROFILE_FIELDS}) == len(template.PROFILE_FIELDS)


def test_the_questions_the_call_answers_itself_are_marked(guide):
    """The kickoff records the consent and times the intros, the end records the promise to
    follow up: the wrap-up counts those questions as asked by that mark, not by their words."""
    marked = {
        q.answered_by: q.text
        for q in Question.objects.filter(section__guide=guide).exclude(answered_by="")
    }
    assert set(marked) == {CallStep.CONSENT, CallStep.INTROS, CallStep.FOLLOW_UP}
    assert marked[CallStep.CONSENT].startswith("May we record this call?")
    assert marked[CallStep.INTROS].startswith("Short intros")
    assert marked[CallStep.FOLLOW_UP].startswith("Thank them, promise to follow up")


def test_guides_made_before_the_mark_get_it_from_the_template_words(guide):
    from django.apps import apps

    marking = importlib.import_module("heard.guides.migrations.0003_question_answered_by")
    Question.objects.update(answered_by="")
    mine = guide.sections.first().questions.create(text="May we record this? Please?")
    marking.mark(apps, None)
    steps = Question.objects.exclude(answered_by="").values_list("answered_by", flat=True)
    assert sorted(steps) == ["consent", "follow_up", "intros"]
    mine.refresh_from_db()
    assert mine.answered_by == ""
