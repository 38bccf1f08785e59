"""Guide rules called directly: the time budget, validation-point coverage, copies, keys."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from heard.guides import services
from heard.guides.models import CallStep, Guide, ProfileField, Question, QuestionPriority, Section
from heard.guides.services import Budget, BudgetState, StartFrom
from tests.support import factories

pytestmark = pytest.mark.django_db


def budget(planned: int, interview: int = 45, team: int = 10, customer: int = 5) -> Budget:
    return Budget(
        planned=planned, interview=interview, team_reserve=team, customer_reserve=customer, must=0
    )


@pytest.mark.parametrize(
    ("planned", "state", "difference", "percent"),
    [
        (32, BudgetState.OVER, 2, 100),
        (30, BudgetState.EXACT, 0, 100),
        (25, BudgetState.UNDER, 5, 80),
        (0, BudgetState.UNDER, 30, 0),
    ],
)
def test_budget_compares_the_questions_with_the_time_the_reserves_leave(
    planned, state, difference, percent
):
    b = budget(planned)
    assert b.available == 30
    assert (b.state, b.difference, b.percent) == (state, difference, percent)


def test_budget_counts_both_reserves():
    assert budget(20, interview=60, team=5, customer=5).available == 50
    assert budget(20, interview=60, team=5, customer=5).state == BudgetState.UNDER


def test_plan_sums_minutes_per_section_and_for_must_ask_questions(study):
    guide = Guide.objects.create(study=study, title="G", interview_minutes=30)
    a = Section.objects.create(guide=guide, title="A", position=0)
    b = Section.objects.create(guide=guide, title="B", position=1)
    Question.objects.create(section=a, text="1", minutes=4, priority=QuestionPriority.MUST)
    Question.objects.create(section=a, text="2", minutes=3, priority=QuestionPriority.NICE)
    Question.objects.create(section=b, text="3", minutes=12, priority=QuestionPriority.MUST)
    plan = services.plan_for(guide)
    assert [s.minutes for s in plan.sections] == [7, 12]
    assert plan.question_count == 3
    assert (plan.budget.planned, plan.budget.available, plan.budget.must) == (19, 15, 16)
    assert plan.budget.state == BudgetState.OVER
    assert plan.budget.difference == 4


def test_coverage_counts_questions_per_point_and_flags_points_nobody_serves(study):
    served, twice, alone = (
        factories.point(study, "Served", 0),
        factories.point(study, "Twice", 1),
        factories.point(study, "Alone", 2),
    )
    other_study_point = factories.point(factories.study(study.workspace), "Elsewhere")
    guide = factories.guide(study, questions=2)
    q1, q2 = Question.objects.filter(section__guide=guide)
    q1.points.set([served, twice])
    q2.points.set([twice, other_study_point])
    plan = services.plan_for(guide)
    assert [(c.point.statement, c.questions) for c in plan.coverage] == [
        ("Served", 1),
        ("Twice", 2),
        ("Alone", 0),
    ]
    assert [c.point for c in plan.uncovered] == [alone]


def test_a_blank_guide_has_nothing_in_it(study):
    guide = services.create_guide(study, StartFrom.BLANK, title="Blank")
    assert not guide.sections.exists()
    assert not guide.profile_fields.exists()


def test_the_team_reserve_stays_between_5_and_10_minutes(study):
    with pytest.raises(ValidationError):
        services.create_guide(study, StartFrom.BLANK, title="Short", team_reserve_minutes=3)
    with pytest.raises(ValidationError):
        services.create_guide(study, StartFrom.BLANK, title="Long", team_reserve_minutes=15)
    assert not Guide.objects.exists()


def test_the_database_refuses_a_team_reserve_out_of_range(study):
    with pytest.raises(IntegrityError), transaction.atomic():
        Guide.objects.create(study=study, title="G", team_reserve_minutes=20)


def test_copy_is_deep_and_keeps_links_within_the_same_study(study, guide):
    point = factories.point(study, "Reports take too long")
    first = Question.objects.filter(section__guide=guide).first()
    assert first is not None
    first.points.add(point)
    result = services.copy_guide(guide, study, "Copy")
    copy = result.guide
    assert result.dropped_links == 0
    assert copy.pk != guide.pk
    assert copy.title == "Copy"
    assert [s.title for s in copy.sections.all()] == [s.title for s in guide.sections.all()]
    originals = list(
        Question.objects.filter(section__guide=guide).order_by("section__position", "position")
    )
    copies = list(
        Question.objects.filter(section__guide=copy).order_by("section__position", "position")
    )
    assert [(q.text, q.priority, q.minutes, q.follow_ups, q.answered_by) for q in copies] == [
        (q.text, q.priority, q.minutes, q.follow_ups, q.answered_by) for q in originals
    ]
    assert copies[0].answered_by == CallStep.CONSENT
    assert not {q.pk for q in copies} & {q.pk for q in originals}
    assert list(copies[0].points.all()) == [point]
    assert [f.key for f in copy.profile_fields.all()] == [f.key for f in guide.profile_fields.all()]
    # Changing the copy leaves the original alone.
    copies[0].delete()
    assert Question.objects.filter(pk=originals[0].pk).exists()


def test_copy_to_another_study_drops_the_links_and_counts_them(study, guide):
    a, b = factories.point(study, "A", 0), factories.point(study, "B", 1)
    questions = list(Question.objects.filter(section__guide=guide)[:2])
    questions[0].points.set([a, b])
    questions[1].points.set([a])
    other = factories.study(study.workspace, title="Pricing")
    result = services.copy_guide(guide, other)
    assert result.dropped_links == 3
    assert result.guide.study == other
    assert result.guide.title == guide.title
    assert not Question.points.through.objects.filter(
        question__section__guide=result.guide
    ).exists()
    assert Question.objects.filter(section__guide=result.guide).count() == 15


def test_copy_sources_are_the_workspace_guides_only(team, study, guide):
    other_study = factories.study(team.workspace, title="Pricing")
    theirs = factories.guide(other_study, "Pricing guide")
    factories.guide(factories.study(team.other_workspace), "Secret")
    assert set(services.copy_sources(study)) == {guide, theirs}


def test_profile_field_keys_come_from_labels_and_stay_unique(guide):
    first = services.add_profile_field(guide, ProfileField(label="Team size"))
    second = services.add_profile_field(guide, ProfileField(label="Team size!"))
    odd = services.add_profile_field(guide, ProfileField(label="¿¿"))
    assert (first.key, second.key, odd.key) == ("team_size", "team_size_2", "field")
    assert [f.label for f in guide.profile_fields.all()][-3:] == ["Team size", "Team size!", "¿¿"]


def test_a_question_moved_to_another_section_goes_to_its_end(guide):
    first, second = guide.sections.all()[:2]
    question = first.questions.first()
    assert question is not None
    previous = question.section_id
    question.section = second
    services.save_question(guide, question, previous)
    assert list(second.questions.all())[-1] == question
    assert question.position == 2


def test_copy_never_crosses_workspaces(team, guide):
    foreign_study = factories.study(team.other_workspace)
    with pytest.raises(ValueError, match="within its workspace"):
        services.copy_guide(guide, foreign_study)
    assert not Guide.objects.filter(study=foreign_study).exists()
