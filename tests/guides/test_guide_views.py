"""Creating, copying, editing, deleting and printing guides through their pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from heard.guides import services
from heard.guides.models import Guide, Question, QuestionPriority, Section
from heard.interviews.models import TeamMember, TeamRole
from tests.support import factories
from tests.support.text import read
from tests.support.urls import url

pytestmark = pytest.mark.django_db


def guide_fields(**overrides: object) -> dict[str, object]:
    return {
        "title": "Discovery call",
        "interview_minutes": 45,
        "team_reserve_minutes": 10,
        "customer_reserve_minutes": 5,
        "start_from": "template",
    } | overrides


def test_the_create_form_explains_the_template_and_the_reserves(team, owner_client, study):
    response = owner_client.get(url("guides:create", team, study_pk=study.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "What the template holds" in content
    assert "Pains and how they measure them" in content
    assert "Team&#x27;s questions (minutes)" in content
    assert 'value="template"' in content


def test_owner_creates_a_guide_from_the_template_and_lands_in_the_editor(team, owner_client, study):
    response = owner_client.post(url("guides:create", team, study_pk=study.pk), guide_fields())
    guide = Guide.objects.get()
    assert response.status_code == 302
    assert response.url == url("guides:detail", team, pk=guide.pk)
    assert guide.study == study
    assert guide.sections.count() == 6
    assert guide.profile_fields.count() == 5


def test_teammate_creates_a_blank_guide(team, teammate_client, study):
    teammate_client.post(
        url("guides:create", team, study_pk=study.pk),
        guide_fields(start_from="blank", customer_reserve_minutes=0, interview_minutes=30),
    )
    guide = Guide.objects.get()
    assert (guide.interview_minutes, guide.customer_reserve_minutes) == (30, 0)
    assert not guide.sections.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"team_reserve_minutes": 4}, "Leave at least 5 minutes for the team"),
        ({"team_reserve_minutes": 11}, "Keep the team"),
        ({"team_reserve_minutes": ""}, "This field is required."),
        ({"customer_reserve_minutes": -1}, "greater than or equal to 0"),
        ({"interview_minutes": 18}, "make it at least 20 minutes"),
        ({"interview_minutes": "forty"}, "Enter a whole number."),
        ({"start_from": "somewhere"}, "Select a valid choice."),
    ],
)
def test_reserves_and_length_are_validated(team, owner_client, study, overrides, message):
    response = owner_client.post(
        url("guides:create", team, study_pk=study.pk), guide_fields(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Guide.objects.exists()


def test_edit_changes_length_and_reserves_but_not_below_the_range(team, owner_client, guide):
    response = owner_client.post(
        url("guides:edit", team, pk=guide.pk), guide_fields(title="Longer", interview_minutes=60)
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert (guide.title, guide.interview_minutes) == ("Longer", 60)
    response = owner_client.post(
        url("guides:edit", team, pk=guide.pk), guide_fields(team_reserve_minutes=2)
    )
    assert response.status_code == 200
    guide.refresh_from_db()
    assert guide.team_reserve_minutes == 10


def test_the_editor_shows_the_budget_sections_and_coverage(team, owner_client, study, guide):
    point = factories.point(study, "Teams measure efficiency by hours saved", 0)
    factories.point(study, "Nobody serves me", 1)
    Question.objects.filter(section__guide=guide).first().points.add(point)  # type: ignore[union-attr]
    response = owner_client.get(url("guides:detail", team, pk=guide.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "30 of 30 min planned" in content
    assert "right on time" in content
    assert "budget--exact" in content
    assert "Purpose and intros" in content
    assert "4 min · 3 questions" in content
    assert "1 question</span>" in content
    assert "⚠ No question" in content
    assert "1 not served by any question" in content
    assert "Company size" in content


def test_the_editor_says_how_far_over_budget_the_guide_is(team, owner_client, guide):
    Guide.objects.filter(pk=guide.pk).update(interview_minutes=43)
    content = owner_client.get(url("guides:detail", team, pk=guide.pk)).content.decode()
    assert "30 of 28 min planned" in content
    assert "2 min over" in content
    assert "budget--over" in content
    Guide.objects.filter(pk=guide.pk).update(interview_minutes=50)
    content = owner_client.get(url("guides:detail", team, pk=guide.pk)).content.decode()
    assert "30 of 35 min planned" in content
    assert "5 min to spare" in content


def test_question_text_is_shown_as_text_not_html(team, owner_client, study):
    guide = factories.guide(study, "<i>Guide</i>", questions=0)
    section = guide.sections.get()
    Question.objects.create(
        section=section,
        text="<script>alert('q')</script>",
        follow_ups="<img src=x onerror=alert(1)>",
    )
    section.title = "<b>Section</b>"
    section.save()
    for name in ("detail", "print"):
        content = owner_client.get(url(f"guides:{name}", team, pk=guide.pk)).content.decode()
        assert "<script>alert(" not in content
        assert "&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt;" in content
        assert "<img src=x" not in content
        assert "&lt;img src=x onerror=alert(1)&gt;" in content
        assert "<b>Section</b>" not in content
        assert "<i>Guide</i>" not in content


def test_editor_query_count_does_not_grow_with_questions(
    team, owner_client, study, guide, django_assert_max_num_queries
):
    points = [factories.point(study, f"P{i}", i) for i in range(3)]
    for question in Question.objects.filter(section__guide=guide):
        question.points.set(points)
    with django_assert_max_num_queries(15) as few:
        response = owner_client.get(url("guides:detail", team, pk=guide.pk))
    assert response.status_code == 200
    assert response.content.decode().count('class="guide-question"') == 15
    for section in guide.sections.all():
        for i in range(10):
            q = Question.objects.create(section=section, text=f"More {i}?", position=10 + i)
            q.points.set(points)
    Section.objects.create(guide=guide, title="Another", position=9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = owner_client.get(url("guides:detail", team, pk=guide.pk))
    assert response.status_code == 200
    assert response.content.decode().count('class="guide-question"') == 75


def test_print_query_count_does_not_grow_with_questions(
    team, observer_client, study, guide, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        response = observer_client.get(url("guides:print", team, pk=guide.pk))
    assert response.status_code == 200
    assert "Purpose and intros" in response.content.decode()
    factories.guide(study, questions=40)
    second = services.copy_guide(guide, study).guide
    section = second.sections.first()
    for i in range(30):
        Question.objects.create(section=section, text=f"More {i}?", position=10 + i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = observer_client.get(url("guides:print", team, pk=second.pk))
    assert response.status_code == 200
    assert "More 29?" in response.content.decode()


def test_print_is_a_one_page_hard_copy_without_the_app_chrome(team, owner_client, study, guide):
    response = owner_client.get(url("guides:print", team, pk=guide.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="mainnav"' not in content
    assert "heard/heard.css" not in content
    assert "heard/css/guides.css" in content
    assert study.title in content
    assert study.goal in content
    assert "Leave 10 min for the team's questions, 5 min for the customer's." in content
    assert content.count('<dt dir="auto">Company size</dt>') == 1
    assert (
        content.count('class="sheet-q sheet-q--must"')
        == Question.objects.filter(section__guide=guide, priority=QuestionPriority.MUST).count()
    )
    assert "→ Why is that important to you?" in read(content)
    assert "style=" not in content
    assert "<script>" not in content


def test_copy_page_lists_the_workspace_guides_only(team, owner_client, study, guide):
    other = factories.study(team.workspace, title="Pricing study")
    factories.guide(other, "Pricing guide")
    factories.guide(factories.study(team.other_workspace, title="Secret"), "Secret guide")
    content = owner_client.get(url("guides:copy", team, study_pk=study.pk)).content.decode()
    assert "Discovery call — this study · 15 questions" in read(content)
    assert "Pricing guide — study “Pricing study” · 2 questions" in read(content)
    assert "Secret" not in content


def test_copy_from_another_study_drops_links_and_says_so(team, owner_client, study, guide):
    point = factories.point(study, "A point")
    Question.objects.filter(section__guide=guide).first().points.add(point)  # type: ignore[union-attr]
    target = factories.study(team.workspace, title="Pricing study")
    response = owner_client.post(
        url("guides:copy", team, study_pk=target.pk), {"source": guide.pk, "title": ""}, follow=True
    )
    copy = Guide.objects.get(study=target)
    assert response.redirect_chain[-1][0] == url("guides:detail", team, pk=copy.pk)
    assert copy.title == guide.title
    assert "1 link to validation points of “Reporting pains” was left out" in (
        response.content.decode()
    )
    assert Question.objects.filter(section__guide=copy).count() == 15


def test_copy_within_the_study_keeps_links(team, owner_client, study, guide):
    point = factories.point(study, "A point")
    Question.objects.filter(section__guide=guide).first().points.add(point)  # type: ignore[union-attr]
    response = owner_client.post(
        url("guides:copy", team, study_pk=study.pk), {"source": guide.pk, "title": "Second round"}
    )
    assert response.status_code == 302
    copy = Guide.objects.get(title="Second round")
    assert point.questions.filter(section__guide=copy).count() == 1


def test_copy_refuses_a_guide_of_another_workspace(team, owner_client, study, guide):
    foreign = factories.guide(factories.study(team.other_workspace), "Secret guide")
    response = owner_client.post(
        url("guides:copy", team, study_pk=study.pk), {"source": foreign.pk, "title": ""}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert list(Guide.objects.filter(study=study)) == [guide]


def test_copy_page_without_any_guide_offers_the_template(team, owner_client, study):
    content = owner_client.get(url("guides:copy", team, study_pk=study.pk)).content.decode()
    assert "There is no guide in this workspace yet" in content
    assert url("guides:create", team, study_pk=study.pk) in content


def test_delete_removes_the_guide_and_its_parts(team, owner_client, study, guide):
    assert "Delete “Discovery call”?" in read(
        owner_client.get(url("guides:delete", team, pk=guide.pk)).content
    )
    response = owner_client.post(url("guides:delete", team, pk=guide.pk))
    assert response.url == reverse(
        "studies:detail", kwargs={"ws": team.workspace.slug, "pk": study.pk}
    )
    assert not Guide.objects.exists()
    assert not Question.objects.exists()


def test_the_study_page_links_to_its_guides(team, owner_client, study, guide):
    content = owner_client.get(
        reverse("studies:detail", kwargs={"ws": team.workspace.slug, "pk": study.pk})
    ).content.decode()
    assert url("guides:detail", team, pk=guide.pk) in content


def test_a_reserve_out_of_range_is_the_only_error_reported(team, owner_client, study):
    response = owner_client.post(
        url("guides:create", team, study_pk=study.pk),
        guide_fields(team_reserve_minutes=12, interview_minutes=20),
    )
    content = response.content.decode().replace("&#x27;", "'")
    assert "Keep the team's questions to 10 minutes at most." in content
    assert "leaves no time for your questions" not in content


def test_print_for_an_interview_fills_in_what_heard_knows(team, owner_client):
    study = factories.study(team.workspace)
    guide = factories.guide(study)
    person = factories.participant(team.workspace, name="Zoë <b>Ångström</b>", company="Fika AB")
    interview = factories.interview(study, person, guide=guide)
    TeamMember.objects.create(interview=interview, user=team.teammate, role=TeamRole.NOTETAKER)
    address = reverse("guides:print", args=[team.workspace.slug, guide.pk])
    page = owner_client.get(address, {"interview": interview.pk}).content.decode()
    assert "Zoë &lt;b&gt;Ångström&lt;/b&gt;" in page
    assert "Fika AB" in page
    assert team.teammate.name in page
    other = factories.interview(study, guide=factories.guide(study, title="Other"))
    blank = owner_client.get(address, {"interview": other.pk}).content.decode()
    assert "Fika AB" not in blank  # an interview of another guide is ignored
